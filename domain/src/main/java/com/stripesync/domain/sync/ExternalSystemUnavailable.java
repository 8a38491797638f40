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

    public ExternalSystemUnavailable(SystemName system, String reason, @Nullable Duration retryAfter,
                                     @Nullable Throwable cause) {
        super(system.value() + " is unavailable: " + reason, cause);
        this.system = Objects.requireNonNull(system, "system");
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        this.retryAfter = retryAfter;
    }

    public ExternalSystemUnavailable(SystemName system, String reason) {
        this(system, reason, null, null);
    }

    public SystemName system() {
        return system;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
