package com.stripesync.stripe.connection;

import com.stripe.StripeClient;

/**
 * Builds the one {@link StripeClient} the service shares, from {@link StripeSettings}.
 *
 * <p>The SDK never retries by itself ({@code maxNetworkRetries} 0): retries belong to the caller, which
 * paces them (rate limits, backoff) and keeps the idempotency key. Note that the JDK's
 * {@code HttpURLConnection}, the SDK's transport, still resends a POST once, with the same headers, when
 * a connection drops before the answer; the idempotency key makes that harmless. Its keep-alive cache
 * holds 5 idle connections per host ({@code http.maxConnections}, a JVM-wide system property): more
 * concurrent callers still work but open fresh TLS connections; raise it at start-up if that shows.
 */
public final class StripeClientFactory {

    private StripeClientFactory() {
    }

    public static StripeClient create(StripeSettings settings) {
        return StripeClient.builder()
                .setApiKey(settings.secretKey())
                .setApiBase(settings.apiBase().toString())
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                .setMaxNetworkRetries(0)
                .build();
    }
}
