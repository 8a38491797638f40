package com.stripesync.domain.sync;

import com.stripesync.domain.link.SystemName;
import java.util.Objects;

/**
 * The external system refused the change for good: repeating it unchanged fails again. {@link #reason()}
 * says why in words safe to show a user (no credentials, no request dumps).
 */
public final class ExternalChangeRejected extends RuntimeException {

    private final SystemName system;
    private final String reason;

    public ExternalChangeRejected(SystemName system, String reason) {
        super(system.value() + " rejected the change: " + reason);
        this.system = Objects.requireNonNull(system, "system");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SystemName system() {
        return system;
    }

    public String reason() {
        return reason;
    }
}
