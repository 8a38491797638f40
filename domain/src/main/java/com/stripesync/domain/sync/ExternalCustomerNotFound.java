package com.stripesync.domain.sync;

import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;

/** The external system has no (live) customer with this id. */
public final class ExternalCustomerNotFound extends RuntimeException {

    private final SystemName system;
    private final ExternalId id;

    public ExternalCustomerNotFound(SystemName system, ExternalId id) {
        super("No customer " + id.value() + " in " + system.value());
        this.system = system;
        this.id = id;
    }

    public SystemName system() {
        return system;
    }

    public ExternalId id() {
        return id;
    }
}
