package com.stripesync.application.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for an unavailable system: {@code initial}, doubling, capped at
 * {@code max}, each delay drawn between half and all of its step; never shorter than the system's own
 * Retry-After. Attempts stop after {@code budget}, and the change is deferred.
 */
public record RetryPolicy(Duration initial, Duration max, Duration budget, DoubleSupplier random) {

    public RetryPolicy {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(random, "random");
        // Steps are counted in whole milliseconds: a shorter first step would stay at 1 ms and never grow.
        if (initial.toMillis() < 1) {
            throw new IllegalArgumentException("the first delay must be at least 1 ms: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the longest delay " + max + " is shorter than the first " + initial);
        }
        if (budget.isNegative()) {
            throw new IllegalArgumentException("the retry budget must not be negative: " + budget);
        }
    }

    public static RetryPolicy standard() {
        return new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(60), Math::random);
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
    public Duration delayAfter(int attempt, Optional<Duration> retryAfter) {
        long step = initial.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(step, max.toMillis());
        long jittered = (long) (capped * (0.5 + random.getAsDouble() / 2));
        Duration delay = Duration.ofMillis(Math.max(1, jittered));
        return retryAfter.filter(minimum -> minimum.compareTo(delay) > 0).orElse(delay);
    }
}
