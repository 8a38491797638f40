package com.stripesync.persistence.inbound;

import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static com.stripesync.persistence.jooq.Tables.CUSTOMER_CHANGES;
import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;
import static com.stripesync.persistence.jooq.Tables.PROCESSED_EVENTS;
import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.lateral;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.list;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.unnest;
import static org.jooq.impl.DSL.val;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.inbound.CatalogSlice;
import com.stripesync.domain.inbound.CatalogWrites;
import com.stripesync.domain.inbound.CatalogWrites.Change;
import com.stripesync.domain.inbound.CatalogWrites.Replacement;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundBatchStore;
import com.stripesync.domain.inbound.SliceRequest;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.ConnectionFailures;
import com.stripesync.persistence.UniqueViolations;
import com.stripesync.persistence.change.ChangeRows;
import com.stripesync.persistence.customer.CustomerRows;
import com.stripesync.persistence.customer.EmailConflicts;
import com.stripesync.persistence.jooq.tables.records.CustomerChangesRecord;
import com.stripesync.persistence.link.ExternalLinkRows;
import com.stripesync.persistence.link.PostgresExternalLinks;
import com.stripesync.persistence.transaction.PostgresUnitOfWork;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * {@link InboundBatchStore} over the catalog's tables, in the calling thread's unit of work. Both methods
 * refuse to run outside one: the locks would end with each statement, and a write failing half-way would
 * leave its first half.
 *
 * <p>Every statement takes its sets as arrays, one bind each ({@code = ANY(?)}, {@code unnest(?)}), so its
 * text is the same whatever the number of rows (the driver prepares it once per connection), and a batch of
 * any size costs at most six statements to lock (one asks for plans made for the actual arrays) and five to write.
 *
 * <p>Customers are locked first, in id order, then their links, in key order: customers before links is
 * the order of the other stores too, and two batches locking overlapping customers queue rather than
 * deadlock.
 *
 * <p>Unique indexes are checked row by row as each statement writes, not at its end. A batch that moves an
 * email from one of its customers to another (one gives it up, the other takes it) is therefore refused with
 * {@link com.stripesync.domain.customer.EmailAlreadyInUse} when the taker's row is written first: always when
 * the taker is added (customers are inserted before the replacements are written), otherwise depending on
 * the order the update meets the rows in. The same holds for an external id moving between two links.
 */
public final class PostgresInboundBatchStore implements InboundBatchStore {

    private static final Field<Long> READ_VERSION = field(name("read_version"), SQLDataType.BIGINT);
    private static final Field<Integer> POSITION = field(name("position"), SQLDataType.INTEGER);
    private static final Field<String> EMAIL = field(name("email"), SQLDataType.VARCHAR);
    /** Array types for the binds, made once: jOOQ derives a new one (parsing its name) for each untyped array. */
    private static final Map<DataType<?>, DataType<?>> ARRAY_TYPES = new ConcurrentHashMap<>();
    private static final DataType<String[]> TEXT_ARRAY = arrayOf(SQLDataType.VARCHAR);
    private static final DataType<UUID[]> UUID_ARRAY = arrayOf(SQLDataType.UUID);

    /** Rows the batches inserted before statistics are refreshed the first time; then each time the count doubles. */
    static final long FIRST_ANALYZE_AFTER = 1_000;

    private final DSLContext dsl;
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong nextAnalyzeAt = new AtomicLong(FIRST_ANALYZE_AFTER);

    public PostgresInboundBatchStore(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /** @throws IllegalStateException outside a unit of work, where the locks would end with the statement */
    @Override
    public CatalogSlice lock(SliceRequest request) {
        Objects.requireNonNull(request, "request");
        PostgresUnitOfWork.requireActive(dsl, "lock");
        return ConnectionFailures.translating(() -> {
            if (request.events().isEmpty() && request.externalIds().isEmpty() && request.customerIds().isEmpty()
                    && request.emails().isEmpty()) {
                return new CatalogSlice(Set.of(), List.of(), List.of());
            }
            planEachStatement();
            Set<UUID> ids = new HashSet<>();
            request.customerIds().forEach(id -> ids.add(id.value()));
            ids.addAll(customersLinkedTo(request.system(), request.externalIds()));
            ids.addAll(liveCustomersWith(request.emails()));
            List<Customer> customers = lockCustomers(ids);
            List<ExternalLink> links = lockLinksOf(customers);
            return new CatalogSlice(processedAmong(request.system(), request.events()), customers, links);
        });
    }

    /**
     * Plans each statement of this unit of work for its actual arrays and the tables' actual size. The driver
     * prepares the batch's statements once per connection, and PostgreSQL would otherwise keep the generic plan
     * it made on about the sixth batch: on a new catalog, while the tables are nearly empty, that is a
     * sequential scan, which it then runs for every batch as the tables grow (measured in a bulk import: 470
     * scans reading 3.7 million link rows for 30,000 events). Planning costs well under a millisecond per batch.
     */
    private void planEachStatement() {
        dsl.execute("set local plan_cache_mode = force_custom_plan");
    }

    private Set<UUID> customersLinkedTo(SystemName system, Set<ExternalId> externalIds) {
        if (externalIds.isEmpty()) {
            return Set.of();
        }
        return dsl.select(EXTERNAL_LINKS.CUSTOMER_ID)
                .from(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.SYSTEM_NAME.eq(system.value()))
                .and(EXTERNAL_LINKS.EXTERNAL_ID.eq(any(texts(externalIds, ExternalId::value))))
                .fetchSet(EXTERNAL_LINKS.CUSTOMER_ID);
    }

    /**
     * The live customers with these emails: one probe of the unique email index per email (a lateral join),
     * which the planner takes even before PostgreSQL has statistics for {@code lower(email)}; a single
     * {@code lower(email) = ANY(...)} was planned as a scan of the whole table until then. The emails are lowered
     * by PostgreSQL's {@code lower()}, as the unique index lowers them, not by Java's.
     */
    private Set<UUID> liveCustomersWith(Set<Email> emails) {
        if (emails.isEmpty()) {
            return Set.of();
        }
        Table<?> requested = unnest(texts(emails, Email::value)).as("requested", EMAIL.getName());
        Table<?> holders = lateral(select(CUSTOMERS.ID).from(CUSTOMERS)
                .where(CUSTOMERS.DELETED_AT.isNull())
                .and(lower(CUSTOMERS.EMAIL).eq(lower(requested.field(EMAIL))))).as("holder");
        return dsl.select(holders.field(CUSTOMERS.ID)).from(requested).crossJoin(holders)
                .fetchSet(holders.field(CUSTOMERS.ID));
    }

    /** Tombstones included: the rows of these ids, locked in id order. */
    private List<Customer> lockCustomers(Set<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return dsl.selectFrom(CUSTOMERS)
                .where(CUSTOMERS.ID.eq(any(val(ids.toArray(UUID[]::new), UUID_ARRAY))))
                .orderBy(CUSTOMERS.ID)
                .forUpdate()
                .fetch(CustomerRows::toCustomer);
    }

    private List<ExternalLink> lockLinksOf(List<Customer> customers) {
        if (customers.isEmpty()) {
            return List.of();
        }
        return dsl.selectFrom(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.CUSTOMER_ID.eq(any(val(customers.stream().map(customer -> customer.id().value())
                        .toArray(UUID[]::new), UUID_ARRAY))))
                .orderBy(EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME)
                .forUpdate()
                .fetch(ExternalLinkRows::toLink);
    }

    private Set<EventId> processedAmong(SystemName system, Set<EventId> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        return dsl.select(PROCESSED_EVENTS.EVENT_ID)
                .from(PROCESSED_EVENTS)
                .where(PROCESSED_EVENTS.SYSTEM_NAME.eq(system.value()))
                .and(PROCESSED_EVENTS.EVENT_ID.eq(any(texts(events, EventId::value))))
                .fetchSet(row -> new EventId(row.value1()));
    }

    /**
     * Each kind of write is one statement whose rows arrive as one array per column, zipped back into rows by
     * {@code unnest(?, ?, ...)}: one round trip and one execution for the whole list. A JDBC batch would have
     * the server execute the statement once per row (and the driver may split it into several round trips);
     * a multi-row {@code VALUES} changes its text, so its prepared statement, with the number of rows, and
     * binds every value separately. The set-based forms also tell what the row-by-row ones would: the update
     * returns the ids it matched (a missing one is stale), the ledger insert the events it recorded.
     *
     * @throws IllegalStateException outside a unit of work, or when an event is in the ledger already (applied
     *     concurrently by someone else), or a link would take an external id another customer's link holds
     */
    @Override
    public void write(CatalogWrites writes) {
        Objects.requireNonNull(writes, "writes");
        if (writes.isEmpty()) {
            return;
        }
        requireWellFormed(writes);
        PostgresUnitOfWork.requireActive(dsl, "write");
        recordProcessed(writes.system(), writes.processed());
        add(writes.added());
        replace(writes.replaced());
        append(writes.changes());
        upsert(writes.links());
        refreshStatisticsAfterGrowth(writes.processed().size() + writes.added().size());
    }

    /**
     * Runs {@code ANALYZE} on the tables a batch writes once the rows the batches inserted reach 1,000, then each
     * time they double. The plans of the lock statements depend on the tables' statistics, and autovacuum
     * refreshes them only on its next round (a minute by default): during a bulk import into a new or small
     * catalog the planner believes the tables nearly empty and scans them whole for every batch. ANALYZE samples
     * at most 30,000 rows a table, runs inside the batch's unit of work without blocking readers or writers, and
     * happens a logarithmic number of times.
     */
    private void refreshStatisticsAfterGrowth(long rows) {
        long total = inserted.addAndGet(rows);
        long due = nextAnalyzeAt.get();
        if (total >= due && nextAnalyzeAt.compareAndSet(due, 2 * total)) {
            dsl.execute("analyze customers, external_links, processed_events");
        }
    }

    /** Each of these would otherwise surface as a confusing database error, a silently skipped row, or a stored lie. */
    private static void requireWellFormed(CatalogWrites writes) {
        writes.replaced().stream()
                .filter(replacement -> replacement.next().version().value() <= replacement.readVersion().value())
                .findFirst()
                .ifPresent(replacement -> {
                    throw new IllegalArgumentException("A replacement comes after the version read ("
                            + replacement.readVersion().value() + "): " + replacement.next());
                });
        requireDistinct(writes.processed(), Function.identity(), "event");
        requireDistinct(writes.replaced(), replacement -> replacement.next().id(), "replaced customer");
        requireDistinct(writes.links(), link -> List.of(link.customerId(), link.system()), "link");
    }

    private static <T> void requireDistinct(List<T> items, Function<T, ?> key, String what) {
        Set<Object> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(key.apply(item))) {
                throw new IllegalArgumentException("A batch writes each " + what + " once, not twice: " + key.apply(item));
            }
        }
    }

    /** Skips the events recorded before, then names them: an event applied concurrently by someone else fails the batch. */
    private void recordProcessed(SystemName system, List<EventId> events) {
        if (events.isEmpty()) {
            return;
        }
        Table<?> rows = unnest(texts(events, EventId::value))
                .as("r", PROCESSED_EVENTS.EVENT_ID.getName());
        Set<String> recorded = ConnectionFailures.translating(() -> dsl
                .insertInto(PROCESSED_EVENTS, PROCESSED_EVENTS.SYSTEM_NAME, PROCESSED_EVENTS.EVENT_ID)
                .select(select(val(system.value(), PROCESSED_EVENTS.SYSTEM_NAME), rows.field(PROCESSED_EVENTS.EVENT_ID))
                        .from(rows))
                .onConflict(PROCESSED_EVENTS.SYSTEM_NAME, PROCESSED_EVENTS.EVENT_ID)
                .doNothing()
                .returningResult(PROCESSED_EVENTS.EVENT_ID)
                .fetchSet(PROCESSED_EVENTS.EVENT_ID));
        List<EventId> appliedElsewhere = events.stream().filter(event -> !recorded.contains(event.value())).toList();
        if (!appliedElsewhere.isEmpty()) {
            throw new IllegalStateException("The " + system + " events " + appliedElsewhere
                    + " were applied meanwhile by another transaction");
        }
    }

    private void add(List<Customer> added) {
        if (added.isEmpty()) {
            return;
        }
        ArrayRows rows = new ArrayRows("r", added.stream().map(CustomerRows::toRow).toList())
                .column(CUSTOMERS.ID).column(CUSTOMERS.NAME).column(CUSTOMERS.EMAIL).column(CUSTOMERS.VERSION)
                .column(CUSTOMERS.CREATED_AT).column(CUSTOMERS.UPDATED_AT).column(CUSTOMERS.DELETED_AT);
        try {
            dsl.insertInto(CUSTOMERS, CUSTOMERS.ID, CUSTOMERS.NAME, CUSTOMERS.EMAIL, CUSTOMERS.VERSION,
                            CUSTOMERS.CREATED_AT, CUSTOMERS.UPDATED_AT, CUSTOMERS.DELETED_AT)
                    .select(select(rows.field(CUSTOMERS.ID), rows.field(CUSTOMERS.NAME), rows.field(CUSTOMERS.EMAIL),
                            rows.field(CUSTOMERS.VERSION), rows.field(CUSTOMERS.CREATED_AT),
                            rows.field(CUSTOMERS.UPDATED_AT), rows.field(CUSTOMERS.DELETED_AT))
                            .from(rows.table()))
                    .execute();
        } catch (DataAccessException e) {
            throw EmailConflicts.emailConflictOr(e, added);
        }
    }

    /** Writes each replacement only while its row is at the version read; the ids returned tell which were. */
    private void replace(List<Replacement> replaced) {
        if (replaced.isEmpty()) {
            return;
        }
        ArrayRows rows = new ArrayRows("r", replaced.stream().map(replacement -> CustomerRows.toRow(replacement.next())).toList())
                .column(CUSTOMERS.ID).column(CUSTOMERS.NAME).column(CUSTOMERS.EMAIL).column(CUSTOMERS.VERSION)
                .column(CUSTOMERS.UPDATED_AT).column(CUSTOMERS.DELETED_AT)
                .column(READ_VERSION, replaced.stream().map(replacement -> replacement.readVersion().value()).toList());
        Set<UUID> written;
        try {
            written = dsl.update(CUSTOMERS)
                    .set(CUSTOMERS.NAME, rows.field(CUSTOMERS.NAME))
                    .set(CUSTOMERS.EMAIL, rows.field(CUSTOMERS.EMAIL))
                    .set(CUSTOMERS.VERSION, rows.field(CUSTOMERS.VERSION))
                    .set(CUSTOMERS.UPDATED_AT, rows.field(CUSTOMERS.UPDATED_AT))
                    .set(CUSTOMERS.DELETED_AT, rows.field(CUSTOMERS.DELETED_AT))
                    .from(rows.table())
                    .where(CUSTOMERS.ID.eq(rows.field(CUSTOMERS.ID)))
                    .and(CUSTOMERS.VERSION.eq(rows.field(READ_VERSION)))
                    .returningResult(CUSTOMERS.ID)
                    .fetchSet(CUSTOMERS.ID);
        } catch (DataAccessException e) {
            throw EmailConflicts.emailConflictOr(e, replaced.stream().map(Replacement::next).toList());
        }
        Optional<Replacement> stale = replaced.stream()
                .filter(replacement -> !written.contains(replacement.next().id().value()))
                .findFirst();
        if (stale.isPresent()) {
            throw new StaleVersion(stale.get().next().id(), stale.get().readVersion());
        }
    }

    /** Inserted in the order given, so that the ids, which the relays publish in, follow it. */
    private void append(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<CustomerChangesRecord> records = changes.stream()
                .map(change -> ChangeRows.toRow(change.after(), change.kind(), change.origin()))
                .toList();
        ArrayRows rows = new ArrayRows("r", records)
                .column(POSITION, IntStream.range(0, records.size()).boxed().toList())
                .column(CUSTOMER_CHANGES.CUSTOMER_ID).column(CUSTOMER_CHANGES.VERSION).column(CUSTOMER_CHANGES.KIND)
                .column(CUSTOMER_CHANGES.ORIGIN).column(CUSTOMER_CHANGES.NAME).column(CUSTOMER_CHANGES.EMAIL)
                .column(CUSTOMER_CHANGES.OCCURRED_AT);
        ConnectionFailures.translating(() -> dsl
                .insertInto(CUSTOMER_CHANGES, CUSTOMER_CHANGES.CUSTOMER_ID, CUSTOMER_CHANGES.VERSION,
                        CUSTOMER_CHANGES.KIND, CUSTOMER_CHANGES.ORIGIN, CUSTOMER_CHANGES.NAME, CUSTOMER_CHANGES.EMAIL,
                        CUSTOMER_CHANGES.OCCURRED_AT)
                .select(select(rows.field(CUSTOMER_CHANGES.CUSTOMER_ID), rows.field(CUSTOMER_CHANGES.VERSION),
                        rows.field(CUSTOMER_CHANGES.KIND), rows.field(CUSTOMER_CHANGES.ORIGIN),
                        rows.field(CUSTOMER_CHANGES.NAME), rows.field(CUSTOMER_CHANGES.EMAIL),
                        rows.field(CUSTOMER_CHANGES.OCCURRED_AT))
                        .from(rows.table())
                        // PostgreSQL draws identity values after sorting: ids follow this order.
                        .orderBy(rows.field(POSITION)))
                .execute());
    }

    /** Each link as given, every column replaced when it exists. */
    private void upsert(List<ExternalLink> links) {
        if (links.isEmpty()) {
            return;
        }
        ArrayRows rows = new ArrayRows("r", links.stream().map(ExternalLinkRows::toRow).toList())
                .column(EXTERNAL_LINKS.CUSTOMER_ID).column(EXTERNAL_LINKS.SYSTEM_NAME).column(EXTERNAL_LINKS.EXTERNAL_ID)
                .column(EXTERNAL_LINKS.STATUS).column(EXTERNAL_LINKS.SYNCED_AT).column(EXTERNAL_LINKS.LAST_ERROR)
                .column(EXTERNAL_LINKS.HANDLED_VERSION).column(EXTERNAL_LINKS.LAST_EVENT_AT);
        try {
            dsl.insertInto(EXTERNAL_LINKS, EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME,
                            EXTERNAL_LINKS.EXTERNAL_ID, EXTERNAL_LINKS.STATUS, EXTERNAL_LINKS.SYNCED_AT,
                            EXTERNAL_LINKS.LAST_ERROR, EXTERNAL_LINKS.HANDLED_VERSION, EXTERNAL_LINKS.LAST_EVENT_AT,
                            EXTERNAL_LINKS.UPDATED_AT)
                    .select(select(rows.field(EXTERNAL_LINKS.CUSTOMER_ID), rows.field(EXTERNAL_LINKS.SYSTEM_NAME),
                            rows.field(EXTERNAL_LINKS.EXTERNAL_ID), rows.field(EXTERNAL_LINKS.STATUS),
                            rows.field(EXTERNAL_LINKS.SYNCED_AT), rows.field(EXTERNAL_LINKS.LAST_ERROR),
                            rows.field(EXTERNAL_LINKS.HANDLED_VERSION), rows.field(EXTERNAL_LINKS.LAST_EVENT_AT),
                            currentOffsetDateTime())
                            .from(rows.table()))
                    .onConflict(EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME)
                    .doUpdate()
                    .set(EXTERNAL_LINKS.EXTERNAL_ID, excluded(EXTERNAL_LINKS.EXTERNAL_ID))
                    .set(EXTERNAL_LINKS.STATUS, excluded(EXTERNAL_LINKS.STATUS))
                    .set(EXTERNAL_LINKS.SYNCED_AT, excluded(EXTERNAL_LINKS.SYNCED_AT))
                    .set(EXTERNAL_LINKS.LAST_ERROR, excluded(EXTERNAL_LINKS.LAST_ERROR))
                    .set(EXTERNAL_LINKS.HANDLED_VERSION, excluded(EXTERNAL_LINKS.HANDLED_VERSION))
                    .set(EXTERNAL_LINKS.LAST_EVENT_AT, excluded(EXTERNAL_LINKS.LAST_EVENT_AT))
                    .set(EXTERNAL_LINKS.UPDATED_AT, excluded(EXTERNAL_LINKS.UPDATED_AT))
                    .execute();
        } catch (DataAccessException e) {
            if (UniqueViolations.violates(e, PostgresExternalLinks.EXTERNAL_ID_KEY)) {
                throw externalIdTaken(e, links);
            }
            throw ConnectionFailures.translate(e);
        }
    }

    /** Names the link refused, found by the key the server reports ({@code system, external id}). */
    private static IllegalStateException externalIdTaken(DataAccessException failure, List<ExternalLink> links) {
        Optional<String> key = UniqueViolations.refusedKey(failure);
        return links.stream()
                .filter(link -> link.externalId() != null
                        && key.equals(Optional.of(link.system().value() + ", " + link.externalId().value())))
                .findFirst()
                .map(link -> new IllegalStateException("The " + link.system() + " id " + link.externalId()
                        + " is linked to another customer; it cannot be linked to customer " + link.customerId()
                        + " as well", failure))
                .orElseGet(() -> new IllegalStateException("A link of the batch would take an external id another"
                        + " customer's link holds (" + key.orElse("the database did not say which") + ")", failure));
    }

    /** The items' texts as one array bind. */
    private static <T> Field<String[]> texts(Collection<T> items, Function<T, String> text) {
        return val(items.stream().map(text).toArray(String[]::new), TEXT_ARRAY);
    }

    /** {@code type}'s array type from {@link #ARRAY_TYPES}. */
    @SuppressWarnings("unchecked")
    private static <T> DataType<T[]> arrayOf(DataType<T> type) {
        return (DataType<T[]>) ARRAY_TYPES.computeIfAbsent(type, DataType::getArrayDataType);
    }

    @SuppressWarnings("unchecked")
    private static <V> V[] newArray(Class<V> type, int size) {
        return (V[]) Array.newInstance(type, size);
    }

    /**
     * Rows handed to the database as one array per column and zipped back into rows by PostgreSQL's
     * {@code unnest(?, ?, ...) AS alias(column, ...)}: one bind per column, whatever the number of rows. Each
     * column is named like the table column it holds, and {@link #field} finds it by that column.
     */
    private static final class ArrayRows {

        private final String alias;
        private final List<? extends Record> rows;
        private final List<Field<?>> arrays = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();

        ArrayRows(String alias, List<? extends Record> rows) {
            this.alias = alias;
            this.rows = rows;
        }

        /** The rows' values of {@code column}. */
        <T> ArrayRows column(Field<T> column) {
            return column(column, rows.stream().map(row -> row.get(column)).toList());
        }

        /** One value per row, in the rows' order, as a column named like {@code column}. */
        <T> ArrayRows column(Field<T> column, List<@Nullable T> values) {
            if (values.size() != rows.size() || !names.add(column.getName())) {
                throw new IllegalArgumentException("One value per row, once per column: " + column.getName());
            }
            arrays.add(val(values.toArray(newArray(column.getType(), values.size())), arrayOf(column.getDataType())));
            return this;
        }

        /** jOOQ renders no multi-array unnest (its ROWS FROM aliases each unnest, which PostgreSQL refuses). */
        Table<Record> table() {
            return DSL.table("unnest({0})", list(arrays)).as(alias, names.toArray(String[]::new));
        }

        /** This table's column holding {@code column}'s values. */
        <T> Field<T> field(Field<T> column) {
            return DSL.field(name(alias, column.getName()), column.getDataType());
        }
    }
}
