package com.stripesync.persistence.customer;

import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/** Test data for the stores. */
public final class Customers {

    /** Sub-millisecond digits, so a loss of microsecond precision shows. */
    public static final Instant T0 = Instant.parse("2026-03-04T05:06:07.123456Z");

    private Customers() {
    }

    public static Customer registered(String name, @Nullable String email, Instant createdAt) {
        return Customer.register(new CustomerName(name), email == null ? null : new Email(email), createdAt);
    }

    public static Customer registered(String name, @Nullable String email) {
        return registered(name, email, T0);
    }

    /** Writes a link row the way the sync will, straight into the table. */
    public static void insertLink(DSLContext sql, ExternalLink link) {
        sql.insertInto(EXTERNAL_LINKS)
                .set(EXTERNAL_LINKS.CUSTOMER_ID, link.customerId().value())
                .set(EXTERNAL_LINKS.SYSTEM_NAME, link.system().value())
                .set(EXTERNAL_LINKS.EXTERNAL_ID, link.externalIdIfKnown().map(Object::toString).orElse(null))
                .set(EXTERNAL_LINKS.STATUS, link.status().name())
                .set(EXTERNAL_LINKS.SYNCED_AT, link.lastSyncedAt().map(at -> at.atOffset(ZoneOffset.UTC)).orElse(null))
                .set(EXTERNAL_LINKS.LAST_ERROR, link.lastErrorIfAny().orElse(null))
                .set(EXTERNAL_LINKS.HANDLED_VERSION, link.handledVersion() == null ? null : link.handledVersion().value())
                .set(EXTERNAL_LINKS.LAST_EVENT_AT, link.lastEvent().map(at -> at.atOffset(ZoneOffset.UTC)).orElse(null))
                .set(EXTERNAL_LINKS.UPDATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .execute();
    }

    static ExternalLink stripeLink(CustomerId id, String externalId) {
        return new ExternalLink(id, new SystemName("stripe"), new ExternalId(externalId),
                SyncStatus.SYNCED, T0.plusSeconds(60), null, Version.FIRST, null);
    }

    static ExternalLink pendingLink(CustomerId id, String system, String lastError) {
        return new ExternalLink(id, new SystemName(system), null, SyncStatus.PENDING, null, lastError, null, null);
    }
}
