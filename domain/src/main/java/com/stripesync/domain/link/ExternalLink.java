package com.stripesync.domain.link;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The link between a local customer and one external system: that system's id for it (absent until
 * first created there), the sync status, when it last synced, the last error, and the latest local
 * version whose outcome is recorded ({@code handledVersion}: a change at or below it was already handled),
 * and when the latest event from the system about this customer happened ({@code lastEventAt}: an older
 * event is stale).
 */
public record ExternalLink(CustomerId customerId, SystemName system, @Nullable ExternalId externalId,
                           SyncStatus status, @Nullable Instant syncedAt, @Nullable String lastError,
                           @Nullable Version handledVersion, @Nullable Instant lastEventAt) {

    public ExternalLink {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(status, "status");
    }

    public Optional<ExternalId> externalIdIfKnown() {
        return Optional.ofNullable(externalId);
    }

    public Optional<Instant> lastSyncedAt() {
        return Optional.ofNullable(syncedAt);
    }

    public Optional<String> lastErrorIfAny() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Instant> lastEvent() {
        return Optional.ofNullable(lastEventAt);
    }

    /** Whether the outcome of the change at {@code version} (or a later one) is already recorded. */
    public boolean hasHandled(Version version) {
        return handledVersion != null && handledVersion.value() >= version.value();
    }
}
