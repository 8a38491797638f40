package com.stripesync.domain.sync;

import com.stripesync.domain.link.SystemName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The external system could not take the call now: it was unreachable, too slow, overloaded, asked us
 * to slow down, or refused our credentials. A write may or may not have been applied; retrying it later
 * with the same {@link IdempotencyKey} is safe. {@link #retryAfter()} is the wait the system asked for,
 * when it named one.
 */
public final class ExternalSystemUnavailable extends RuntimeException {

    private final SystemName system;
    private final @Nullable Duration retryAfter;
    private final boolean answerKeptUnderKey;

    public ExternalSystemUnavailable(SystemName system, String reason, @Nullable Duration retryAfter,
                                     @Nullable Throwable cause) {
        this(system, reason, retryAfter, cause, false);
    }

    private ExternalSystemUnavailable(SystemName system, String reason, @Nullable Duration retryAfter,
                                      @Nullable Throwable cause, boolean answerKeptUnderKey) {
        super(system.value() + " is unavailable: " + reason, cause);
        this.answerKeptUnderKey = answerKeptUnderKey;
        this.system = Objects.requireNonNull(system, "system");
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        this.retryAfter = retryAfter;
    }

    public ExternalSystemUnavailable(SystemName system, String reason) {
        this(system, reason, null, null);
    }

    /**
     * The system failed while executing the call and keeps that answer under the idempotency key (Stripe
     * does so for its 500s): repeating the call with the same key repeats the failure, whether or not the
     * write was applied. The caller must check whether it was applied before writing under a new key.
     */
    public static ExternalSystemUnavailable failedWhileExecuting(SystemName system, String reason,
                                                                 @Nullable Duration retryAfter, Throwable cause) {
        return new ExternalSystemUnavailable(system, reason, retryAfter, cause, true);
    }

    public boolean answerKeptUnderKey() {
        return answerKeptUnderKey;
    }

    public SystemName system() {
        return system;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
