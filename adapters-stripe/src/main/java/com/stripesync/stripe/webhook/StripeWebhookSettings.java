package com.stripesync.stripe.webhook;

import com.stripe.net.Webhook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How Stripe's webhooks are verified.
 *
 * @param secrets   the endpoint's signing secrets ({@code whsec_...}); a delivery verifies when it is signed with
 *                  any of them, so a rolled secret and its successor both work while Stripe signs with both.
 *                  Duplicates are dropped; no message or {@link #toString()} ever shows a secret
 * @param tolerance how old a delivery's signature may be, at least one second; older ones are refused as replays.
 *                  Stripe signs each retry anew, so a late retry still verifies
 */
public record StripeWebhookSettings(List<String> secrets, Duration tolerance) {

    /** Stripe's own default, as its libraries apply it. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(Webhook.DEFAULT_TOLERANCE);

    private static final String PREFIX = "whsec_";
    private static final String ADVICE = "copy the endpoint's signing secret (whsec_...) from the Stripe Dashboard";

    public StripeWebhookSettings {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("No Stripe webhook signing secret is given: " + ADVICE);
        }
        for (int i = 0; i < secrets.size(); i++) {
            requireSecret(secrets.get(i), i + 1);
        }
        secrets = List.copyOf(new LinkedHashSet<>(secrets));
        if (tolerance == null || tolerance.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("The webhook tolerance must be at least one second: " + tolerance);
        }
    }

    /** The secrets with the default tolerance of five minutes. */
    public static StripeWebhookSettings of(String... secrets) {
        return new StripeWebhookSettings(List.of(secrets), DEFAULT_TOLERANCE);
    }

    /** Secrets separated by commas ({@code whsec_new,whsec_old}), blanks around them and empty entries ignored. */
    public static StripeWebhookSettings parse(String commaSeparated, Duration tolerance) {
        if (commaSeparated == null) {
            throw new IllegalArgumentException("No Stripe webhook signing secret is given: " + ADVICE);
        }
        List<String> secrets = new ArrayList<>();
        for (String entry : commaSeparated.split(",", -1)) {
            if (!entry.isBlank()) {
                secrets.add(entry.strip());
            }
        }
        return new StripeWebhookSettings(secrets, tolerance);
    }

    public static StripeWebhookSettings parse(String commaSeparated) {
        return parse(commaSeparated, DEFAULT_TOLERANCE);
    }

    /**
     * Empty when nothing is configured (null or blank): webhooks are then refused rather than accepted
     * unverified. Anything else must be valid.
     */
    public static Optional<StripeWebhookSettings> parseIfConfigured(@Nullable String commaSeparated, Duration tolerance) {
        if (commaSeparated == null || commaSeparated.replace(",", "").isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse(commaSeparated, tolerance));
    }

    /** The tolerance in whole seconds, as Stripe's signature check takes it. */
    long toleranceSeconds() {
        return tolerance.toSeconds();
    }

    @Override
    public String toString() {
        return "StripeWebhookSettings[secrets=" + secrets.size() + " x whsec_***, tolerance=" + tolerance + "]";
    }

    private static void requireSecret(@Nullable String secret, int position) {
        String which = "Stripe webhook signing secret #" + position;
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(which + " is blank: " + ADVICE);
        }
        if (secret.startsWith("sk_") || secret.startsWith("rk_") || secret.startsWith("pk_")) {
            throw new IllegalArgumentException(which + " is a Stripe API key, not a webhook signing secret: " + ADVICE);
        }
        if (!secret.startsWith(PREFIX) || secret.length() <= PREFIX.length()) {
            throw new IllegalArgumentException(which + " is not a webhook signing secret: " + ADVICE);
        }
        if (secret.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == ',')) {
            throw new IllegalArgumentException(which + " contains blanks or commas: " + ADVICE);
        }
    }
}
