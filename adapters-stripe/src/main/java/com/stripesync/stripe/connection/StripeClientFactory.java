package com.stripesync.stripe.connection;

import com.stripe.StripeClient;
import com.stripe.net.HttpURLConnectionClient;
import java.util.Properties;

/**
 * Builds the one {@link StripeClient} the service shares, from {@link StripeSettings}.
 *
 * <p>Every request passes the settings' rate limits ({@link RateLimitedHttpClient}: writes and reads
 * apart). The SDK never retries by itself ({@code maxNetworkRetries} 0): retries belong to the caller,
 * which paces them (rate limits, backoff) and keeps the idempotency key. The JDK's {@code HttpURLConnection},
 * the SDK's transport, would still resend a POST once by itself when a kept-alive connection drops before
 * the answer, past the limiter; {@link #neverResendPosts} turns that off, so the caller's paced retry (same
 * idempotency key) is the only one.
 *
 * <p>Connections: {@code HttpURLConnection} keeps idle connections for reuse in a JVM-wide cache that holds
 * only 5 per host unless the system property {@value #KEEP_ALIVE_CONNECTIONS_PROPERTY} says otherwise.
 * With more calls in flight, every call beyond the fifth opens a new connection (a TLS handshake with
 * Stripe) and closes it after. {@link #sizeKeepAliveCache} sizes it; the service does so at start-up.
 */
public final class StripeClientFactory {

    /** Whether the JDK resends a POST whose kept-alive connection dropped; read once, when its HTTP client loads. */
    public static final String RETRY_POST_PROPERTY = "sun.net.http.retryPost";

    /** The JDK's cap on idle keep-alive connections per host; read once, when the JVM first keeps one for reuse. */
    public static final String KEEP_ALIVE_CONNECTIONS_PROPERTY = "http.maxConnections";

    private StripeClientFactory() {
    }

    public static StripeClient create(StripeSettings settings) {
        return StripeClient.builder()
                .setApiKey(settings.secretKey())
                .setApiBase(settings.apiBase().toString())
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                .setMaxNetworkRetries(0)
                .setHttpClient(new RateLimitedHttpClient(new HttpURLConnectionClient(), settings.writesPerSecond(),
                        settings.readsPerSecond(), settings.maxWaitForPermit()))
                .build();
    }

    /**
     * Sets {@value #KEEP_ALIVE_CONNECTIONS_PROPERTY} in {@code systemProperties} to
     * {@link #keepAliveConnections}, unless it holds a value already (the user's {@code -D}, which wins).
     * Takes effect only before the JVM's first HTTP request: call it first thing in {@code main}.
     *
     * @return the value in force afterwards
     */
    public static String sizeKeepAliveCache(Properties systemProperties, StripeSettings settings) {
        return setUnlessGiven(systemProperties, KEEP_ALIVE_CONNECTIONS_PROPERTY,
                Integer.toString(keepAliveConnections(settings)));
    }

    /**
     * Sets {@value #RETRY_POST_PROPERTY} to {@code false} in {@code systemProperties}, unless it holds a value
     * already (the user's {@code -D}, which wins): every request to Stripe is then one the limiter let through.
     * Takes effect only before the JVM's first HTTP request: call it first thing in {@code main}.
     *
     * @return the value in force afterwards
     */
    public static String neverResendPosts(Properties systemProperties) {
        return setUnlessGiven(systemProperties, RETRY_POST_PROPERTY, "false");
    }

    /** Sets {@code key} to {@code value} unless it holds a value already; returns the value in force. */
    private static String setUnlessGiven(Properties systemProperties, String key, String value) {
        String configured = systemProperties.getProperty(key);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        systemProperties.setProperty(key, value);
        return value;
    }

    /**
     * The most calls to Stripe in flight at once, in practice: the rate limits start at most
     * {@code writesPerSecond + readsPerSecond} requests a second, and a customer call answers well within a
     * second. Idle connections beyond need close after the JDK's keep-alive time (5 s) anyway.
     */
    static int keepAliveConnections(StripeSettings settings) {
        return settings.writesPerSecond() + settings.readsPerSecond();
    }
}
