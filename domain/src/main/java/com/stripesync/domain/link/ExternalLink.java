package com.stripesync.domain.link;

import com.stripesync.domain.customer.CustomerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The link between a local customer and one external system: that system's id for it (absent until
 * first created there), the sync status, when it last synced and the last error.
 */
public record ExternalLink(CustomerId customerId, SystemName system, @Nullable ExternalId externalId,
                           SyncStatus status, @Nullable Instant syncedAt, @Nullable String lastError) {

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
}
