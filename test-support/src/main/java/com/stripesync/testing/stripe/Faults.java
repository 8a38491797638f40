package com.stripesync.testing.stripe;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The misbehaviour the fake is told to show. Each fault is consumed by the requests it applies to, in
 * arrival order; all methods are thread-safe and take effect for requests arriving afterwards.
 *
 * <ul>
 *   <li>Before any work: {@link #rateLimitNext} and {@link #rejectNext} answer the next requests of any
 *       kind with an error and change nothing, as Stripe does for requests it never executed.</li>
 *   <li>After the work: {@link #serverErrorAfterApplyingNext} and {@link #dropConnectionAfterApplyingNext}
 *       let the next successful writes (POST or DELETE, including idempotent replays) take effect, then
 *       answer 500 or close the connection without an answer.</li>
 *   <li>A per-second limit ({@link #limitPerSecond}): like Stripe's rate limiter, the requests beyond
 *       the limit that arrive within one calendar second are answered 429 {@code rate_limit} with
 *       {@code Retry-After: 1} and change nothing.</li>
 *   <li>Latency: every request waits before it is handled.</li>
 * </ul>
 */
public final class Faults {

    enum AfterApply { SERVER_ERROR, DROP_CONNECTION }

    record RateLimit(@Nullable Duration retryAfter) {
    }

    private record Latency(Duration min, Duration max) {
    }

    private final ConcurrentLinkedQueue<RateLimit> rateLimits = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<StripeApiError> rejections = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<AfterApply> afterApply = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Latency> latency = new AtomicReference<>(new Latency(Duration.ZERO, Duration.ZERO));
    private final SecondWindows perSecond = new SecondWindows();

    Faults() {
    }

    /**
     * Answers the next {@code requests} requests with 429 {@code rate_limit}, with a {@code Retry-After}
     * header in whole seconds when {@code retryAfter} is given.
     */
    public Faults rateLimitNext(int requests, @Nullable Duration retryAfter) {
        requirePositive(requests);
        for (int i = 0; i < requests; i++) {
            rateLimits.add(new RateLimit(retryAfter));
        }
        return this;
    }

    /**
     * Answers the next {@code requests} requests with this Stripe error and changes nothing, e.g.
     * {@code rejectNext(1, 400, "invalid_request_error", "email_invalid", "Invalid email address", "email")}
     * or a 503 {@code api_error} that never reached Stripe's application.
     */
    public Faults rejectNext(int requests, int status, String type, @Nullable String code, String message,
                             @Nullable String param) {
        requirePositive(requests);
        for (int i = 0; i < requests; i++) {
            rejections.add(new StripeApiError(status, type, code, message, param));
        }
        return this;
    }

    /**
     * The next {@code writes} successful writes take effect, then answer 500 {@code api_error}. Like
     * Stripe, the fake stores that 500 under the request's idempotency key and replays it to retries.
     */
    public Faults serverErrorAfterApplyingNext(int writes) {
        return afterApply(writes, AfterApply.SERVER_ERROR);
    }

    /**
     * The next {@code writes} successful writes take effect, then the connection closes without an
     * answer: the client sees a lost response. The real answer is stored under the idempotency key, so
     * a retry with the key gets it.
     *
     * <p>Note: {@code HttpURLConnection} (stripe-java's default transport) silently resends a POST once
     * when the connection drops before the response headers; to make the caller see the loss, drop two.
     */
    public Faults dropConnectionAfterApplyingNext(int writes) {
        return afterApply(writes, AfterApply.DROP_CONNECTION);
    }

    /**
     * Admits at most {@code requests} requests of any kind per calendar second of the wall clock (counted
     * by arrival, before the latency) and answers every further request in that second with 429
     * {@code rate_limit} and {@code Retry-After: 1} after the latency, without looking at it further (not
     * even its key). Rejected requests do not count against the limit. Replaces an earlier limit;
     * {@link #clear()} removes it.
     */
    public Faults limitPerSecond(int requests) {
        requirePositive(requests);
        perSecond.limit(requests);
        return this;
    }

    /** Every request waits {@code delay} before it is handled. */
    public Faults latency(Duration delay) {
        return latency(delay, delay);
    }

    /** Every request waits a random time between {@code min} and {@code max} before it is handled. */
    public Faults latency(Duration min, Duration max) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency needs 0 <= min <= max");
        }
        latency.set(new Latency(min, max));
        return this;
    }

    /** Forgets every pending fault and the latency. */
    public void clear() {
        rateLimits.clear();
        rejections.clear();
        afterApply.clear();
        latency.set(new Latency(Duration.ZERO, Duration.ZERO));
        perSecond.limit(0);
    }

    /** True when a request arriving at {@code arrivedAt} is within the per-second limit (always, without one). */
    boolean admitWithinSecondLimit(Instant arrivedAt) {
        return perSecond.admit(arrivedAt);
    }

    void delay() throws InterruptedException {
        Latency current = latency.get();
        long min = current.min().toNanos();
        long max = current.max().toNanos();
        long nanos = min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
        if (nanos > 0) {
            Thread.sleep(Duration.ofNanos(nanos));
        }
    }

    @Nullable RateLimit takeRateLimit() {
        return rateLimits.poll();
    }

    @Nullable StripeApiError takeRejection() {
        return rejections.poll();
    }

    @Nullable AfterApply takeAfterApply() {
        return afterApply.poll();
    }

    private Faults afterApply(int writes, AfterApply fault) {
        requirePositive(writes);
        for (int i = 0; i < writes; i++) {
            afterApply.add(fault);
        }
        return this;
    }

    private static void requirePositive(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
    }

    /**
     * Counts admitted requests per calendar second. Arrival instants are taken before this lock, so a
     * request may come in a moment after one from the next second: the last few seconds are kept.
     */
    private static final class SecondWindows {

        private static final int SECONDS_KEPT = 4;

        private final long[] seconds = new long[SECONDS_KEPT];
        private final int[] admitted = new int[SECONDS_KEPT];
        private int limit;

        synchronized void limit(int requests) {
            limit = requests;
            Arrays.fill(seconds, Long.MIN_VALUE);
            Arrays.fill(admitted, 0);
        }

        synchronized boolean admit(Instant arrivedAt) {
            if (limit == 0) {
                return true;
            }
            long second = arrivedAt.getEpochSecond();
            int slot = (int) Math.floorMod(second, (long) SECONDS_KEPT);
            if (seconds[slot] != second) {
                if (seconds[slot] > second) {
                    // Older than every second kept: it cannot have been counted anywhere; let it through.
                    return true;
                }
                seconds[slot] = second;
                admitted[slot] = 0;
            }
            if (admitted[slot] >= limit) {
                return false;
            }
            admitted[slot]++;
            return true;
        }
    }
}
