package com.stripesync.web;

import com.stripesync.application.inbound.ReceiveWebhook;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A webhook endpoint the API serves: {@code POST path} hands each delivery, raw, to {@code receiver}.
 * Bootstrap passes one per external system, such as {@code new WebhookEndpoint(STRIPE_PATH, stripeIntake)}.
 *
 * @param path a literal path ({@code /api/stripe-webhook}), without parameters; the OpenAPI document must list it
 */
public record WebhookEndpoint(String path, ReceiveWebhook receiver) {

    /** Where Stripe's webhooks are received; the path the OpenAPI document lists. */
    public static final String STRIPE_PATH = "/api/stripe-webhook";

    private static final Pattern LITERAL_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    public WebhookEndpoint {
        if (path == null || !LITERAL_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("A webhook path is literal segments such as /api/stripe-webhook: " + path);
        }
        Objects.requireNonNull(receiver, "receiver");
    }
}
