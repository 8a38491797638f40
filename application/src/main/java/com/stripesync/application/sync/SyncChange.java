package com.stripesync.application.sync;

import com.stripesync.domain.change.CustomerChange;

/** Applies one recorded change to one external system and records the outcome in the customer's link. */
public interface SyncChange {

    /** The outcome is recorded before this returns; only then may the change be acknowledged in the log. */
    SyncOutcome sync(CustomerChange change);
}
