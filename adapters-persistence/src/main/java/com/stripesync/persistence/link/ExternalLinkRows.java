package com.stripesync.persistence.link;

import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.jooq.tables.records.ExternalLinksRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/** Reads {@code external_links} rows; the one place that maps them to {@link ExternalLink}s. */
public final class ExternalLinkRows {

    private ExternalLinkRows() {
    }

    /** The links of these customers, by customer then system, in one query; customers without links are absent. */
    public static Map<CustomerId, Map<SystemName, ExternalLink>> linksOf(DSLContext dsl, Collection<CustomerId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<CustomerId, Map<SystemName, ExternalLink>> links = new HashMap<>();
        dsl.selectFrom(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.CUSTOMER_ID.in(ids.stream().map(CustomerId::value).toList()))
                .forEach(row -> {
                    ExternalLink link = toLink(row);
                    links.computeIfAbsent(link.customerId(), id -> new HashMap<>()).put(link.system(), link);
                });
        return links;
    }

    static ExternalLink toLink(ExternalLinksRecord row) {
        String externalId = row.getExternalId();
        return new ExternalLink(
                new CustomerId(row.getCustomerId()),
                new SystemName(row.getSystemName()),
                externalId == null ? null : new ExternalId(externalId),
                SyncStatus.valueOf(row.getStatus()),
                instant(row.getSyncedAt()),
                row.getLastError(),
                null);
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
