package com.stripesync.domain.link;

/** Where a customer stands with one external system. */
public enum SyncStatus {
    /** A local change waits to reach the system. */
    PENDING,
    /** The system holds the customer's latest version. */
    SYNCED,
    /** The system refused the latest change for good; {@code lastError} says why. A later change retries. */
    FAILED,
    /** Both sides claim something that cannot be reconciled automatically (e.g. the same email). */
    CONFLICT,
    /** The customer is deleted on the system (or unlinked from it). */
    DELETED
}
