package com.stripesync.stripe.webhook;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.inbound.WebhookDelivery;
import com.stripesync.domain.inbound.WebhookRejected;
import com.stripesync.domain.inbound.WebhookVerifier;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.stripe.customer.StripeCustomers;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Verifies Stripe's webhooks with stripe-java's signature check, then reads their envelope.
 *
 * <p>{@code Stripe-Signature} is {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + body>[,v1=...]}: the
 * signature covers the exact bytes received, so the body is checked before anything reads it, and only
 * UTF-8 bodies are accepted (text that does not decode would not re-encode to the same bytes). A delivery
 * verifies when one of its {@code v1} signatures matches any configured secret; its timestamp may then be
 * at most the tolerance old. As in Stripe's libraries, a timestamp ahead of our clock is not refused: only
 * the holder of a secret can sign one. After the signature the body must be a Stripe event, and a customer
 * event must name its customer and time, so that whatever is queued can be applied.
 *
 * <p>Every refusal is a {@link WebhookRejected} with a short message that quotes neither the header nor the
 * body. Nothing is logged here: bodies carry personal data, and the caller answers the refusal.
 */
public final class StripeWebhookVerifier implements WebhookVerifier {

    public static final String SIGNATURE_HEADER = "Stripe-Signature";

    /** Far above any header Stripe sends (one timestamp, a few signatures of 64 hex digits). */
    private static final int MAX_HEADER_LENGTH = 4096;
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,18}");

    private final List<String> secrets;
    private final long toleranceSeconds;
    private final Clock clock;

    public StripeWebhookVerifier(StripeWebhookSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public StripeWebhookVerifier(StripeWebhookSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.secrets = settings.secrets();
        this.toleranceSeconds = settings.toleranceSeconds();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SystemName system() {
        return StripeCustomers.NAME;
    }

    @Override
    public VerifiedEvent verify(WebhookDelivery delivery) {
        String header = delivery.header(SIGNATURE_HEADER).filter(value -> !value.isBlank())
                .orElseThrow(() -> new WebhookRejected("The " + SIGNATURE_HEADER + " header is missing"));
        long timestamp = timestampOf(header);
        byte[] body = delivery.body();
        String payload;
        try {
            payload = EventJson.utf8(body);
        } catch (MalformedEvent e) {
            throw new WebhookRejected(e.getMessage());
        }
        requireSignature(payload, header, timestamp);
        try {
            EventJson event = EventJson.readEnvelope(payload);
            boolean relevant = event.customerChange().isPresent();
            ExternalId subject = relevant ? applicableCustomer(event) : event.subject().orElse(null);
            return new VerifiedEvent(event.id(), event.type(), subject, relevant, body);
        } catch (MalformedEvent e) {
            throw new WebhookRejected(e.getMessage());
        }
    }

    /**
     * A customer event is queued only with what applying it needs, its customer's id and its time, so that
     * Stripe hears of a malformed one now rather than the dead-letter topic later.
     */
    private static ExternalId applicableCustomer(EventJson event) {
        ExternalId customer = event.customerId(event.customerObject());
        event.created();
        return customer;
    }

    /**
     * Checks the header's shape before stripe-java sees it: the SDK throws unchecked exceptions (number format,
     * array index) on some malformed headers, and a shape check gives a clearer refusal.
     */
    private static long timestampOf(String header) {
        if (header.length() > MAX_HEADER_LENGTH) {
            throw malformedHeader();
        }
        Long timestamp = null;
        boolean signed = false;
        for (String item : header.split(",", -1)) {
            int equals = item.indexOf('=');
            if (equals < 1) {
                throw malformedHeader();
            }
            String key = item.substring(0, equals);
            String value = item.substring(equals + 1);
            if (key.equals("t") && timestamp == null) {
                if (!TIMESTAMP.matcher(value).matches() || Long.parseLong(value) == 0) {
                    throw malformedHeader();
                }
                timestamp = Long.parseLong(value);
            }
            signed |= key.equals(Webhook.Signature.EXPECTED_SCHEME) && !value.isEmpty();
        }
        if (timestamp == null || !signed) {
            throw malformedHeader();
        }
        return timestamp;
    }

    private void requireSignature(String payload, String header, long timestamp) {
        for (String secret : secrets) {
            try {
                Webhook.Signature.verifyHeader(payload, header, secret, toleranceSeconds, clock);
                return;
            } catch (SignatureVerificationException e) {
                // Not this secret (or too old): try the next one.
            } catch (RuntimeException e) {
                throw malformedHeader();
            }
        }
        if (timestamp < clock.millis() / 1000 - toleranceSeconds) {
            throw new WebhookRejected("The signature is more than " + toleranceSeconds
                    + " s old: a replayed or long-delayed delivery is refused");
        }
        throw new WebhookRejected("No signature in " + SIGNATURE_HEADER
                + " matches the body with a configured signing secret");
    }

    private static WebhookRejected malformedHeader() {
        return new WebhookRejected("The " + SIGNATURE_HEADER
                + " header is malformed: it needs t=<unix seconds> and at least one v1=<signature>");
    }
}
