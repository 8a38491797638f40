package com.stripesync.persistence.link;

import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;
import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.val;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.ArrayTypes;
import com.stripesync.persistence.ValueRecords;
import com.stripesync.persistence.jooq.tables.records.ExternalLinksRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/** The one place that maps between {@code external_links} rows and {@link ExternalLink}s. */
public final class ExternalLinkRows {

    /** The size of the {@code last_error} column, in characters. */
    static final int MAX_ERROR_LENGTH = 2000;
    private static final DataType<UUID[]> UUID_ARRAY = ArrayTypes.of(SQLDataType.UUID);

    private ExternalLinkRows() {
    }

    /**
     * The links of these customers, by customer then system, in one query; customers without links are absent.
     * The ids are one array bind, so the statement's text is the same for a page of any size.
     */
    public static Map<CustomerId, Map<SystemName, ExternalLink>> linksOf(DSLContext dsl, Collection<CustomerId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<CustomerId, Map<SystemName, ExternalLink>> links = new HashMap<>();
        dsl.selectFrom(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.CUSTOMER_ID.eq(any(val(ids.stream().map(CustomerId::value).toArray(UUID[]::new),
                        UUID_ARRAY))))
                .forEach(row -> {
                    ExternalLink link = toLink(row);
                    links.computeIfAbsent(link.customerId(), id -> new HashMap<>()).put(link.system(), link);
                });
        return links;
    }

    public static ExternalLink toLink(ExternalLinksRecord row) {
        String externalId = row.getExternalId();
        Long handledVersion = row.getHandledVersion();
        return new ExternalLink(
                new CustomerId(row.getCustomerId()),
                new SystemName(row.getSystemName()),
                externalId == null ? null : new ExternalId(externalId),
                SyncStatus.valueOf(row.getStatus()),
                instant(row.getSyncedAt()),
                row.getLastError(),
                handledVersion == null ? null : new Version(handledVersion),
                instant(row.getLastEventAt()));
    }

    /** The row that stores {@code link}; its {@code updated_at} is left to the writer, which knows when it writes. */
    public static ExternalLinksRecord toRow(ExternalLink link) {
        ExternalLinksRecord row = ValueRecords.of(EXTERNAL_LINKS);
        row.setCustomerId(link.customerId().value());
        row.setSystemName(link.system().value());
        row.setExternalId(link.externalIdIfKnown().map(ExternalId::value).orElse(null));
        row.setStatus(link.status().name());
        row.setSyncedAt(link.lastSyncedAt().map(ExternalLinkRows::timestamp).orElse(null));
        row.setLastError(link.lastErrorIfAny().map(ExternalLinkRows::errorColumn).orElse(null));
        @Nullable Version handledVersion = link.handledVersion();
        row.setHandledVersion(handledVersion == null ? null : handledVersion.value());
        row.setLastEventAt(link.lastEvent().map(ExternalLinkRows::timestamp).orElse(null));
        return row;
    }

    /** An error message as the column holds it: cut to its size, never in the middle of a character. */
    static String errorColumn(String error) {
        if (error.codePointCount(0, error.length()) <= MAX_ERROR_LENGTH) {
            return error;
        }
        return error.substring(0, error.offsetByCodePoints(0, MAX_ERROR_LENGTH));
    }

    /** PostgreSQL keeps microseconds; cutting them here rather than letting the server round keeps both sides equal. */
    static OffsetDateTime timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
