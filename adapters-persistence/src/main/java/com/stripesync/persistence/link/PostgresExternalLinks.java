package com.stripesync.persistence.link;

import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;
import static org.jooq.impl.DSL.castNull;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.val;
import static org.jooq.impl.DSL.when;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.ConnectionFailures;
import com.stripesync.persistence.UniqueViolations;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jspecify.annotations.Nullable;

/**
 * {@link ExternalLinks} over the {@code external_links} table. Each mark is one statement, so it is atomic
 * on its own and joins the caller's unit of work when there is one. A missing customer is told apart only
 * when nothing was written, by a second query.
 *
 * <p>The version rules are enforced by the database, not by a read before the write: an outcome is an
 * upsert whose update applies only while the link's {@code handled_version} is older than the outcome's
 * version, and whose status is PENDING when the customer's stored version is newer than the outcome's.
 * The customer row is read {@code FOR SHARE}, so an outcome racing a local change that is being committed
 * waits for it and sees its version.
 *
 * <p>An external id belongs to one customer per system ({@value #EXTERNAL_ID_KEY}). A mark that would give
 * a link an external id another customer's link holds fails with an {@link IllegalStateException} naming
 * both customers. Such marks run in a savepoint of the caller's unit of work (a transaction of their own
 * outside one), so that after the refusal the unit of work stays usable.
 */
public final class PostgresExternalLinks implements ExternalLinks {

    public static final String EXTERNAL_ID_KEY = "external_links_external_id_key";

    private final DSLContext dsl;

    public PostgresExternalLinks(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    @Override
    public Optional<ExternalLink> find(CustomerId customer, SystemName system) {
        return ConnectionFailures.translating(() -> dsl.selectFrom(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.CUSTOMER_ID.eq(customer.value()))
                .and(EXTERNAL_LINKS.SYSTEM_NAME.eq(system.value()))
                .fetchOptional(ExternalLinkRows::toLink));
    }

    @Override
    public Optional<ExternalLink> findByExternalId(SystemName system, ExternalId externalId) {
        return ConnectionFailures.translating(() -> dsl.selectFrom(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.SYSTEM_NAME.eq(system.value()))
                .and(EXTERNAL_LINKS.EXTERNAL_ID.eq(externalId.value()))
                .fetchOptional(ExternalLinkRows::toLink));
    }

    @Override
    public void markPending(CustomerId customer, SystemName system, Version version) {
        Objects.requireNonNull(version, "version");
        int written = ConnectionFailures.translating(() -> dsl
                .insertInto(EXTERNAL_LINKS, EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME,
                        EXTERNAL_LINKS.STATUS, EXTERNAL_LINKS.UPDATED_AT)
                .select(select(CUSTOMERS.ID, val(system.value(), EXTERNAL_LINKS.SYSTEM_NAME),
                        val(SyncStatus.PENDING.name(), EXTERNAL_LINKS.STATUS), currentOffsetDateTime())
                        .from(CUSTOMERS)
                        .where(CUSTOMERS.ID.eq(customer.value())))
                .onConflict(EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME)
                .doUpdate()
                .set(EXTERNAL_LINKS.STATUS, excluded(EXTERNAL_LINKS.STATUS))
                .set(EXTERNAL_LINKS.LAST_ERROR, castNull(EXTERNAL_LINKS.LAST_ERROR))
                .set(EXTERNAL_LINKS.UPDATED_AT, excluded(EXTERNAL_LINKS.UPDATED_AT))
                .execute());
        if (written == 0) {
            throw new CustomerNotFound(customer);
        }
    }

    @Override
    public void markSynced(CustomerId customer, SystemName system, ExternalId externalId, Version version,
                           Instant at) {
        recordOutcome(customer, system, version, SyncStatus.SYNCED, Objects.requireNonNull(externalId, "externalId"),
                Objects.requireNonNull(at, "at"), null, false);
    }

    @Override
    public void confirmSynced(CustomerId customer, SystemName system, ExternalId externalId, Version version,
                              Instant at) {
        recordOutcome(customer, system, version, SyncStatus.SYNCED, Objects.requireNonNull(externalId, "externalId"),
                Objects.requireNonNull(at, "at"), null, true);
    }

    @Override
    public void markFailed(CustomerId customer, SystemName system, Version version, String error, Instant at) {
        recordOutcome(customer, system, version, SyncStatus.FAILED, null, null,
                ExternalLinkRows.errorColumn(Objects.requireNonNull(error, "error")), false);
    }

    @Override
    public void markConflict(CustomerId customer, SystemName system, ExternalId externalId, Version version,
                             String error, Instant at) {
        recordOutcome(customer, system, version, SyncStatus.CONFLICT, Objects.requireNonNull(externalId, "externalId"),
                null, ExternalLinkRows.errorColumn(Objects.requireNonNull(error, "error")), true);
    }

    /**
     * One upsert: a new link is SYNCED with the event's external id; an existing one keeps its external id
     * (if it has one), status, sync time, error and handled version, and the later of the two event times.
     */
    @Override
    public void recordEvent(CustomerId customer, SystemName system, ExternalId externalId, Instant occurredAt) {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        int written = givingExternalId(customer, system, externalId, () -> dsl
                .insertInto(EXTERNAL_LINKS, EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME,
                        EXTERNAL_LINKS.EXTERNAL_ID, EXTERNAL_LINKS.STATUS, EXTERNAL_LINKS.LAST_EVENT_AT,
                        EXTERNAL_LINKS.UPDATED_AT)
                .select(select(
                        CUSTOMERS.ID,
                        val(system.value(), EXTERNAL_LINKS.SYSTEM_NAME),
                        val(externalId.value(), EXTERNAL_LINKS.EXTERNAL_ID),
                        val(SyncStatus.SYNCED.name(), EXTERNAL_LINKS.STATUS),
                        val(ExternalLinkRows.timestamp(occurredAt), EXTERNAL_LINKS.LAST_EVENT_AT),
                        currentOffsetDateTime())
                        .from(CUSTOMERS)
                        .where(CUSTOMERS.ID.eq(customer.value())))
                .onConflict(EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME)
                .doUpdate()
                .set(EXTERNAL_LINKS.EXTERNAL_ID, coalesce(EXTERNAL_LINKS.EXTERNAL_ID, excluded(EXTERNAL_LINKS.EXTERNAL_ID)))
                // GREATEST ignores NULL: the first event time recorded is the event's.
                .set(EXTERNAL_LINKS.LAST_EVENT_AT, greatest(EXTERNAL_LINKS.LAST_EVENT_AT, excluded(EXTERNAL_LINKS.LAST_EVENT_AT)))
                .set(EXTERNAL_LINKS.UPDATED_AT, excluded(EXTERNAL_LINKS.UPDATED_AT))
                .execute());
        if (written == 0) {
            throw new CustomerNotFound(customer);
        }
    }

    @Override
    public void markDeleted(CustomerId customer, SystemName system, Version version, Instant at) {
        recordOutcome(customer, system, version, SyncStatus.DELETED, null, Objects.requireNonNull(at, "at"), null, false);
    }

    /**
     * Records the outcome of the change at {@code version}, unless the link already records one for a later
     * version, or for this one unless {@code overSameVersion}. An absent external id or sync time keeps the one recorded; the error is given
     * for a FAILED or CONFLICT link only, and cleared when a newer local version leaves the link PENDING.
     */
    private void recordOutcome(CustomerId customer, SystemName system, Version version, SyncStatus status,
                               @Nullable ExternalId externalId, @Nullable Instant syncedAt, @Nullable String error,
                               boolean overSameVersion) {
        Condition newerLocalVersion = CUSTOMERS.VERSION.gt(version.value());
        Supplier<Integer> upsert = () -> dsl
                .insertInto(EXTERNAL_LINKS, EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME,
                        EXTERNAL_LINKS.EXTERNAL_ID, EXTERNAL_LINKS.STATUS, EXTERNAL_LINKS.SYNCED_AT,
                        EXTERNAL_LINKS.LAST_ERROR, EXTERNAL_LINKS.HANDLED_VERSION, EXTERNAL_LINKS.UPDATED_AT)
                .select(select(
                        CUSTOMERS.ID,
                        val(system.value(), EXTERNAL_LINKS.SYSTEM_NAME),
                        val(externalId == null ? null : externalId.value(), EXTERNAL_LINKS.EXTERNAL_ID),
                        when(newerLocalVersion, inline(SyncStatus.PENDING.name()))
                                .otherwise(val(status.name(), EXTERNAL_LINKS.STATUS)),
                        val(syncedAt == null ? null : ExternalLinkRows.timestamp(syncedAt), EXTERNAL_LINKS.SYNCED_AT),
                        when(newerLocalVersion, castNull(EXTERNAL_LINKS.LAST_ERROR))
                                .otherwise(val(error, EXTERNAL_LINKS.LAST_ERROR)),
                        val(version.value(), EXTERNAL_LINKS.HANDLED_VERSION),
                        currentOffsetDateTime())
                        .from(CUSTOMERS)
                        .where(CUSTOMERS.ID.eq(customer.value()))
                        .forShare())
                .onConflict(EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME)
                .doUpdate()
                .set(EXTERNAL_LINKS.EXTERNAL_ID, coalesce(excluded(EXTERNAL_LINKS.EXTERNAL_ID), EXTERNAL_LINKS.EXTERNAL_ID))
                .set(EXTERNAL_LINKS.STATUS, excluded(EXTERNAL_LINKS.STATUS))
                .set(EXTERNAL_LINKS.SYNCED_AT, coalesce(excluded(EXTERNAL_LINKS.SYNCED_AT), EXTERNAL_LINKS.SYNCED_AT))
                .set(EXTERNAL_LINKS.LAST_ERROR, excluded(EXTERNAL_LINKS.LAST_ERROR))
                .set(EXTERNAL_LINKS.HANDLED_VERSION, excluded(EXTERNAL_LINKS.HANDLED_VERSION))
                .set(EXTERNAL_LINKS.UPDATED_AT, excluded(EXTERNAL_LINKS.UPDATED_AT))
                .where(EXTERNAL_LINKS.HANDLED_VERSION.isNull().or(overSameVersion
                        ? EXTERNAL_LINKS.HANDLED_VERSION.le(excluded(EXTERNAL_LINKS.HANDLED_VERSION))
                        : EXTERNAL_LINKS.HANDLED_VERSION.lt(excluded(EXTERNAL_LINKS.HANDLED_VERSION))))
                .execute();
        int written = externalId == null
                ? ConnectionFailures.translating(upsert)
                : givingExternalId(customer, system, externalId, upsert);
        // Nothing written: an outcome already recorded for this version or a later one, or no such customer.
        if (written == 0 && !ConnectionFailures.translating(() -> dsl.fetchExists(CUSTOMERS, CUSTOMERS.ID.eq(customer.value())))) {
            throw new CustomerNotFound(customer);
        }
    }

    /**
     * Runs a write that may give the customer's link {@code externalId}, in a savepoint (its own transaction
     * outside a unit of work): after a unique violation the caller's transaction is still usable, both to name
     * the link that holds the id and for the caller to go on.
     *
     * @throws IllegalStateException when another customer's link to the system holds {@code externalId}
     */
    private int givingExternalId(CustomerId customer, SystemName system, ExternalId externalId, Supplier<Integer> write) {
        try {
            return dsl.transactionResult(write::get);
        } catch (DataAccessException e) {
            if (!UniqueViolations.violates(e, EXTERNAL_ID_KEY)) {
                throw ConnectionFailures.translate(e);
            }
            Optional<CustomerId> holder = findByExternalId(system, externalId).map(ExternalLink::customerId);
            throw new IllegalStateException("The " + system + " id " + externalId + " is linked to customer "
                    + holder.map(CustomerId::toString).orElse("(another customer)") + "; it cannot be linked to customer "
                    + customer + " as well", e);
        }
    }
}
