package com.stripesync.domain.sync;

import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;

/** The external system has no (live) customer with this id. */
public final class ExternalCustomerNotFound extends RuntimeException {

    public ExternalCustomerNotFound(SystemName system, ExternalId id) {
        super("No customer " + id.value() + " in " + system.value());
    }
}
