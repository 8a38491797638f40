package com.stripesync.stripe.connection;

import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import com.stripe.net.HttpClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import com.stripe.net.StripeResponseStream;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * stripe-java's transport behind two request budgets: every HTTP request the SDK sends waits for its
 * turn in the write budget (POST, DELETE) or the read budget (GET: retrieve, list, search), which Stripe
 * counts separately. Sitting below the SDK, it paces every request, whichever call made it: the pages of
 * a list scan, the retrieve after a 404 on delete, and any retry the SDK were told to make.
 *
 * <p>A request whose turn is further away than {@code maxWaitForPermit} is not queued at all: it fails at
 * once with {@link NoPermitInTime} (the core sees the system as unavailable and retries later), rather
 * than holding its thread for the whole bound only to fail then.
 *
 * <p>Out of its reach: {@code HttpURLConnection} itself resends a POST once when a kept-alive connection
 * drops before the answer, without asking us (see {@link StripeClientFactory}).
 */
final class RateLimitedHttpClient extends HttpClient {

    private static final long ONE_SECOND_NANOS = Duration.ofSeconds(1).toNanos();
    /** For the way from our permit to Stripe's clock: thread wake-up, writing the request, the network. */
    private static final long MARGIN_NANOS = Duration.ofMillis(10).toNanos();

    private final HttpClient transport;
    private final Budget writes;
    private final Budget reads;

    RateLimitedHttpClient(HttpClient transport, int writesPerSecond, int readsPerSecond, Duration maxWaitForPermit) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.writes = new Budget("writes", writesPerSecond, maxWaitForPermit);
        this.reads = new Budget("reads", readsPerSecond, maxWaitForPermit);
    }

    @Override
    public StripeResponse request(StripeRequest request) throws StripeException {
        budgetOf(request).awaitTurn();
        return transport.request(request);
    }

    @Override
    public StripeResponseStream requestStream(StripeRequest request) throws StripeException {
        budgetOf(request).awaitTurn();
        return transport.requestStream(request);
    }

    private Budget budgetOf(StripeRequest request) {
        return request.method() == ApiResource.RequestMethod.GET ? reads : writes;
    }

    /**
     * The time between two permits of a budget of N ({@code perSecond}) requests a second: resilience4j
     * hands out one permit per cycle of this length ({@code limitForPeriod} 1).
     *
     * <p>Why not N permits per 1 s cycle: the limiter's cycles start when it is made, not when Stripe's
     * second does, so a cycle's N taken at its end and the next cycle's N taken at its start fit in one
     * second: twice the limit. With one permit per cycle there are no bursts, but one edge remains: after a
     * pause, a permit may be taken at the very end of a cycle and the next at the very start of the
     * following one, so k requests may span only k - 2 cycles, and with cycles of 1/N s (or just over) N + 1
     * requests can fit in a second. Hence cycles of (1 s + 10 ms) / (N - 1): N + 1 requests then span at
     * least N - 1 cycles, 1.01 s, and no window of one second (whichever second Stripe counts in) sees more
     * than N, with 10 ms to spare for the way from our permit to Stripe. Sustained, a budget sends
     * (N - 1) / 1.01 requests a second: 23.8 of 25 (95 %), 98 of 100. At N = 1 the edge cannot be closed
     * by cycles: after a pause, two requests may come closer than a second (Stripe's limits are 25 and 100).
     */
    static Duration cycle(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
        }
        long intervals = Math.max(1, perSecond - 1);
        return Duration.ofNanos(Math.ceilDiv(ONE_SECOND_NANOS + MARGIN_NANOS, intervals));
    }

    /** One permit per {@link #cycle}; a permit further away than {@code maxWait} is refused. */
    static RateLimiterConfig config(int perSecond, Duration maxWait) {
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(cycle(perSecond))
                .timeoutDuration(maxWait)
                .build();
    }

    private static final class Budget {

        private final String kind;
        private final int perSecond;
        private final Duration maxWait;
        private final RateLimiter limiter;

        Budget(String kind, int perSecond, Duration maxWait) {
            this.kind = kind;
            this.perSecond = perSecond;
            this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
            this.limiter = RateLimiter.of("stripe-" + kind, config(perSecond, maxWait));
        }

        /**
         * Reserves the next free permit and sleeps until its time. The library does the bookkeeping; it
         * refuses (-1) when that time is further than {@code maxWait}, without reserving anything.
         */
        void awaitTurn() throws NoPermitInTime {
            long nanosToWait = limiter.reservePermission();
            if (nanosToWait < 0) {
                throw new NoPermitInTime("more than " + readable(maxWait) + " of " + kind
                        + " are queued at our limit of " + perSecond + " " + kind + " per second; nothing sent");
            }
            if (nanosToWait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(nanosToWait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NoPermitInTime("interrupted while waiting for a turn among the " + kind
                            + "; nothing sent");
                }
            }
        }

        private static String readable(Duration duration) {
            return duration.toMillis() % 1_000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
        }
    }
}
