package com.stripesync.testing.stripe;

import com.stripesync.domain.inbound.WebhookDelivery;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies as Stripe does: {@code Stripe-Signature: t=<unix seconds>,v1=<signature>}, where the
 * signature is the lower-case hex HMAC-SHA256, keyed with the endpoint's signing secret (the whole
 * {@code whsec_...} string, as UTF-8), of the timestamp, a dot and the exact body bytes.
 */
public final class StripeWebhookSigner {

    public static final String HEADER = "Stripe-Signature";
    /** What Stripe's webhook requests carry besides the signature. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
    public static final String USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";

    private StripeWebhookSigner() {
    }

    /** The {@code Stripe-Signature} header value for {@code payload} signed with {@code secret} at {@code at}. */
    public static String sign(byte[] payload, String secret, Instant at) {
        return sign(payload, at, List.of(secret));
    }

    /**
     * One {@code v1} signature per secret, as Stripe sends while a rolled secret is still active:
     * {@code t=...,v1=<new>,v1=<old>}.
     */
    public static String sign(byte[] payload, Instant at, List<String> secrets) {
        long timestamp = at.getEpochSecond();
        return header(timestamp, secrets.stream()
                .map(secret -> keyedWith(secret).signature(payload, timestamp))
                .toList());
    }

    /** {@code t=<timestamp>,v1=<signature>[,v1=<signature>...]}. */
    private static String header(long timestamp, List<String> signatures) {
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        for (String signature : signatures) {
            header.append(",v1=").append(signature);
        }
        return header.toString();
    }

    /** A delivery with the headers Stripe sends, signed with {@code secret} at {@code at}. */
    public static WebhookDelivery delivery(byte[] payload, String secret, Instant at) {
        return delivery(payload, sign(payload, secret, at));
    }

    /** A delivery with the headers Stripe sends and the given {@code Stripe-Signature} value. */
    public static WebhookDelivery delivery(byte[] payload, String signatureHeader) {
        return new WebhookDelivery(payload, Map.of(
                "Content-Type", List.of(CONTENT_TYPE),
                "User-Agent", List.of(USER_AGENT),
                HEADER, List.of(signatureHeader)));
    }

    /** A signer for {@code secret} that keeps its keyed HMAC: for a sender that signs many bodies in a row. */
    public static Keyed keyedWith(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new Keyed(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Signs with one secret, reusing its HMAC; not thread-safe: one per sending thread. */
    public static final class Keyed {

        private final Mac mac;

        private Keyed(Mac mac) {
            this.mac = mac;
        }

        /** The {@code Stripe-Signature} header value for {@code payload} signed at {@code at}. */
        public String sign(byte[] payload, Instant at) {
            long timestamp = at.getEpochSecond();
            return header(timestamp, List.of(signature(payload, timestamp)));
        }

        private String signature(byte[] payload, long timestamp) {
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(payload));
        }
    }
}
