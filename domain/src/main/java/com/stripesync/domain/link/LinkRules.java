package com.stripesync.domain.link;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a link changes, as {@link ExternalLinks} documents it, for stores that keep links in memory (the
 * PostgreSQL store states the same rules in SQL, so they hold under concurrent writers). Times are kept at the
 * stores' microsecond precision.
 */
public final class LinkRules {

    private LinkRules() {
    }

    /** A local change waits to reach the system: PENDING without error; the external id, times and handled version kept. */
    public static ExternalLink pending(CustomerId customer, SystemName system, @Nullable ExternalLink current) {
        return new ExternalLink(customer, system, current == null ? null : current.externalId(), SyncStatus.PENDING,
                current == null ? null : current.syncedAt(), null, current == null ? null : current.handledVersion(),
                current == null ? null : current.lastEventAt());
    }

    /**
     * The outcome of the change at {@code version}; empty when the link records an outcome for a later version
     * already, or for this one unless {@code overSameVersion} (what the system was seen to hold now, see
     * {@link ExternalLinks#confirmSynced}). With a newer local version ({@code storedVersion}) the link stays
     * PENDING, without error. An absent external id or sync time keeps the recorded one.
     */
    public static Optional<ExternalLink> outcome(CustomerId customer, SystemName system, @Nullable ExternalLink current,
                                                 @Nullable Version storedVersion, Version version,
                                                 @Nullable ExternalId externalId, SyncStatus status,
                                                 @Nullable Instant syncedAt, @Nullable String error,
                                                 boolean overSameVersion) {
        Version handled = current == null ? null : current.handledVersion();
        if (handled != null && (handled.value() > version.value() || handled.equals(version) && !overSameVersion)) {
            return Optional.empty();
        }
        boolean newerPending = storedVersion != null && storedVersion.value() > version.value();
        return Optional.of(new ExternalLink(customer, system,
                externalId != null ? externalId : current == null ? null : current.externalId(),
                newerPending ? SyncStatus.PENDING : status,
                syncedAt != null ? micros(syncedAt) : current == null ? null : current.syncedAt(),
                newerPending ? null : error, version, current == null ? null : current.lastEventAt()));
    }

    /**
     * An event from the system was applied: a new link is SYNCED under the event's external id; an existing one
     * keeps everything but the event time, which becomes the later of the two.
     */
    public static ExternalLink event(CustomerId customer, SystemName system, @Nullable ExternalLink current,
                                     ExternalId externalId, Instant occurredAt) {
        Instant at = micros(occurredAt);
        if (current == null) {
            return new ExternalLink(customer, system, externalId, SyncStatus.SYNCED, null, null, null, at);
        }
        Instant stored = current.lastEventAt();
        return new ExternalLink(customer, system, current.externalId() != null ? current.externalId() : externalId,
                current.status(), current.syncedAt(), current.lastError(), current.handledVersion(),
                stored != null && stored.isAfter(at) ? stored : at);
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
