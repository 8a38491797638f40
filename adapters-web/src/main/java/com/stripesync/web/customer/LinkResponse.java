package com.stripesync.web.customer;

import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A customer's link to one external system, as the API shows it. */
public record LinkResponse(@Nullable String externalId, String status, @Nullable Instant syncedAt,
                           @Nullable String lastError) {

    public static LinkResponse from(ExternalLink link) {
        return new LinkResponse(
                link.externalIdIfKnown().map(ExternalId::value).orElse(null),
                link.status().name(),
                link.lastSyncedAt().orElse(null),
                link.lastErrorIfAny().orElse(null));
    }
}
