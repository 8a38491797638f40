package com.stripesync.stripe.connection;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How to reach Stripe.
 *
 * @param secretKey        a secret ({@code sk_...}) or restricted ({@code rk_...}) API key; publishable keys
 *                         ({@code pk_}) and webhook signing secrets ({@code whsec_}) are refused, and no
 *                         message or {@link #toString()} ever shows the key
 * @param apiBase          scheme and authority of the API, {@link #DEFAULT_API_BASE} unless a test points it
 *                         at a fake server; a trailing slash is dropped
 * @param connectTimeout   how long to wait for a connection
 * @param readTimeout      how long to wait for an answer; a call that takes longer is reported as unavailable
 *                         (and may still have been applied: retry it with its idempotency key)
 * @param writesPerSecond  the most write requests (create, update, delete) this process sends in any second;
 *                         Stripe allows 25 in test mode and 100 in live mode per account, so processes
 *                         sharing a key split it
 * @param readsPerSecond   the same for read requests (retrieve, list, search): a budget of its own, as Stripe
 *                         counts reads apart from writes
 * @param maxWaitForPermit the longest a request may wait for its turn under those rates; one whose turn is
 *                         further away fails at once as unavailable, unsent
 */
public record StripeSettings(String secretKey, URI apiBase, Duration connectTimeout, Duration readTimeout,
                             int writesPerSecond, int readsPerSecond, Duration maxWaitForPermit) {

    public static final URI DEFAULT_API_BASE = URI.create("https://api.stripe.com");
    /** Stripe answers from a few regions; a connection that takes longer than this will not come. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Customer calls answer in well under a second; the SDK's own 80 s would stall a sync worker. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);
    /** Stripe's limit in test mode; a live-mode account may raise both rates to 100. */
    public static final int DEFAULT_WRITES_PER_SECOND = 25;
    public static final int DEFAULT_READS_PER_SECOND = 25;
    /** A queue that long (750 requests at 25/s) is a backlog, not a burst: better told than waited out. */
    public static final Duration DEFAULT_MAX_WAIT_FOR_PERMIT = Duration.ofSeconds(30);
    /** A sanity bound: Stripe grants more than 100 per second only on request. */
    public static final int MAX_REQUESTS_PER_SECOND = 10_000;

    private static final String KEY_ADVICE = "configure a secret key (sk_...) or a restricted key (rk_...)";

    public StripeSettings {
        requireApiKey(secretKey);
        apiBase = normalized(apiBase);
        requireTimeout(connectTimeout, "connectTimeout");
        requireTimeout(readTimeout, "readTimeout");
        requireRate(writesPerSecond, "writesPerSecond");
        requireRate(readsPerSecond, "readsPerSecond");
        requireTimeout(maxWaitForPermit, "maxWaitForPermit");
    }

    /** Settings for Stripe itself with the default timeouts and test-mode rates. */
    public static StripeSettings of(String secretKey) {
        return new StripeSettings(secretKey, DEFAULT_API_BASE, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                DEFAULT_WRITES_PER_SECOND, DEFAULT_READS_PER_SECOND, DEFAULT_MAX_WAIT_FOR_PERMIT);
    }

    public StripeSettings withApiBase(URI newApiBase) {
        return new StripeSettings(secretKey, newApiBase, connectTimeout, readTimeout, writesPerSecond, readsPerSecond,
                maxWaitForPermit);
    }

    public StripeSettings withTimeouts(Duration newConnectTimeout, Duration newReadTimeout) {
        return new StripeSettings(secretKey, apiBase, newConnectTimeout, newReadTimeout, writesPerSecond,
                readsPerSecond, maxWaitForPermit);
    }

    public StripeSettings withRates(int newWritesPerSecond, int newReadsPerSecond) {
        return new StripeSettings(secretKey, apiBase, connectTimeout, readTimeout, newWritesPerSecond,
                newReadsPerSecond, maxWaitForPermit);
    }

    public StripeSettings withMaxWaitForPermit(Duration newMaxWaitForPermit) {
        return new StripeSettings(secretKey, apiBase, connectTimeout, readTimeout, writesPerSecond, readsPerSecond,
                newMaxWaitForPermit);
    }

    /** The key's kind and mode ({@code sk_live_}, {@code rk_test_}), never the secret part. */
    public String keyPrefix() {
        int secondUnderscore = secretKey.indexOf('_', 3);
        return secondUnderscore < 0 ? secretKey.substring(0, 3) : secretKey.substring(0, secondUnderscore + 1);
    }

    @Override
    public String toString() {
        return "StripeSettings[secretKey=" + keyPrefix() + "***, apiBase=" + apiBase + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", writesPerSecond=" + writesPerSecond
                + ", readsPerSecond=" + readsPerSecond + ", maxWaitForPermit=" + maxWaitForPermit + "]";
    }

    private static void requireApiKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The Stripe API key is missing: " + KEY_ADVICE);
        }
        if (key.startsWith("pk_")) {
            throw new IllegalArgumentException("The Stripe API key is a publishable key (pk_...), which cannot manage"
                    + " customers: " + KEY_ADVICE);
        }
        if (key.startsWith("whsec_")) {
            throw new IllegalArgumentException("The Stripe API key is a webhook signing secret (whsec_...), which"
                    + " only verifies webhooks: " + KEY_ADVICE);
        }
        if (!key.startsWith("sk_") && !key.startsWith("rk_")) {
            throw new IllegalArgumentException("The Stripe API key is not a Stripe API key: " + KEY_ADVICE);
        }
        if (key.length() < 8 || key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("The Stripe API key is malformed (too short, or it contains blanks):"
                    + " copy it again from the Stripe Dashboard");
        }
    }

    private static URI normalized(URI apiBase) {
        if (apiBase == null) {
            throw new IllegalArgumentException("The Stripe API base is missing");
        }
        String scheme = apiBase.getScheme() == null ? "" : apiBase.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = apiBase.getRawPath() == null || apiBase.getRawPath().isEmpty() || apiBase.getRawPath().equals("/");
        if (!(scheme.equals("https") || scheme.equals("http")) || apiBase.getHost() == null || !bare
                || apiBase.getRawQuery() != null || apiBase.getRawFragment() != null || apiBase.getRawUserInfo() != null) {
            throw new IllegalArgumentException("The Stripe API base must be http(s)://host[:port] without a path: "
                    + apiBase);
        }
        return URI.create(scheme + "://" + apiBase.getRawAuthority());
    }

    private static void requireRate(int perSecond, String name) {
        if (perSecond < 1 || perSecond > MAX_REQUESTS_PER_SECOND) {
            throw new IllegalArgumentException(name + " must be from 1 to " + MAX_REQUESTS_PER_SECOND + ": "
                    + perSecond);
        }
    }

    private static void requireTimeout(Duration timeout, String name) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be a positive duration of at most "
                    + Integer.MAX_VALUE + " ms: " + timeout);
        }
    }
}
