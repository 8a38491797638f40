package com.stripesync.domain.link;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Version;
import java.time.Instant;
import java.util.Optional;

/**
 * The links between local customers and external systems, and where each sync stands. Every mark joins
 * the caller's unit of work. {@code version} is the local version the outcome belongs to; an outcome for
 * an older version than the one recorded never overwrites a newer one.
 */
public interface ExternalLinks {

    Optional<ExternalLink> find(CustomerId customer, SystemName system);

    /** The link that holds this external id, whatever its status. */
    Optional<ExternalLink> findByExternalId(SystemName system, ExternalId externalId);

    /** A local change at {@code version} waits to reach the system; the external id, if any, is kept. */
    void markPending(CustomerId customer, SystemName system, Version version);

    /** The system holds {@code version} under {@code externalId}. */
    void markSynced(CustomerId customer, SystemName system, ExternalId externalId, Version version, Instant at);

    /** The system refused {@code version} for good; {@code error} is safe to show a user. */
    void markFailed(CustomerId customer, SystemName system, Version version, String error, Instant at);

    /**
     * An event from the system showed it holding the values of {@code version}: SYNCED under {@code externalId},
     * even over an outcome recorded for that version already (a conflict or failure since resolved on the other
     * side), never over a later version's.
     */
    void confirmSynced(CustomerId customer, SystemName system, ExternalId externalId, Version version, Instant at);

    /**
     * Both sides claim something that cannot be reconciled automatically (e.g. the external customer's
     * email belongs to another local customer); {@code error} says what, for a person to resolve. Like
     * {@link #confirmSynced}, it comes from what the system holds now, so it replaces an outcome recorded for
     * {@code version}, never one for a later version.
     */
    void markConflict(CustomerId customer, SystemName system, ExternalId externalId, Version version, String error,
                      Instant at);

    /**
     * An event about the customer from the system was applied: remembers the external id (if the link has
     * none yet) and the event's time, keeping the later of the stored and the given time.
     */
    void recordEvent(CustomerId customer, SystemName system, ExternalId externalId, Instant occurredAt);

    /** The customer is gone from the system (deleted there, or unlinked) as of {@code version}. */
    void markDeleted(CustomerId customer, SystemName system, Version version, Instant at);
}
