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
import com.stripesync.persistence.ArrayTypes;
import com.stripesync.persistence.ConnectionFailures;
import com.stripesync.persistence.RenderedOnce;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * {@link InboundBatchStore} over the catalog's tables, in the calling thread's unit of work. Both methods
 * refuse to run outside one: the locks would end with each statement, and a write failing half-way would
 * leave its first half.
 *
 * <p>Every statement takes its sets as arrays, one bind each ({@code = ANY(?)}, {@code unnest(?)}), so its
 * text is the same whatever the number of rows: it is rendered once, when the store is made ({@link RenderedOnce}),
 * the driver prepares it once per connection, and a batch of any size costs at most six statements to lock (one
 * asks for plans made for the actual arrays) and five to write.
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
    private static final DataType<String[]> TEXT_ARRAY = ArrayTypes.of(SQLDataType.VARCHAR);
    private static final DataType<UUID[]> UUID_ARRAY = ArrayTypes.of(SQLDataType.UUID);

    /** Rows the batches inserted before statistics are refreshed the first time; then each time the count doubles. */
    static final long FIRST_ANALYZE_AFTER = 1_000;

    /** The columns of a new customer's row, in the order {@link #insertCustomers} takes their arrays. */
    private static final List<Field<?>> ADDED = List.of(CUSTOMERS.ID, CUSTOMERS.NAME, CUSTOMERS.EMAIL,
            CUSTOMERS.VERSION, CUSTOMERS.CREATED_AT, CUSTOMERS.UPDATED_AT, CUSTOMERS.DELETED_AT);
    /** The columns a replacement writes, in the order {@link #updateCustomers} takes them (then the version read). */
    private static final List<Field<?>> REPLACED = List.of(CUSTOMERS.ID, CUSTOMERS.NAME, CUSTOMERS.EMAIL,
            CUSTOMERS.VERSION, CUSTOMERS.UPDATED_AT, CUSTOMERS.DELETED_AT);
    /** The columns of a change's row, in the order {@link #insertChanges} takes them (then its position). */
    private static final List<Field<?>> CHANGED = List.of(CUSTOMER_CHANGES.CUSTOMER_ID, CUSTOMER_CHANGES.VERSION,
            CUSTOMER_CHANGES.KIND, CUSTOMER_CHANGES.ORIGIN, CUSTOMER_CHANGES.NAME, CUSTOMER_CHANGES.EMAIL,
            CUSTOMER_CHANGES.OCCURRED_AT);
    /** The columns of a link's row, in the order {@link #upsertLinks} takes them. */
    private static final List<Field<?>> LINKED = List.of(EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME,
            EXTERNAL_LINKS.EXTERNAL_ID, EXTERNAL_LINKS.STATUS, EXTERNAL_LINKS.SYNCED_AT, EXTERNAL_LINKS.LAST_ERROR,
            EXTERNAL_LINKS.HANDLED_VERSION, EXTERNAL_LINKS.LAST_EVENT_AT);

    private final DSLContext dsl;
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong nextAnalyzeAt = new AtomicLong(FIRST_ANALYZE_AFTER);

    private final RenderedOnce customersLinkedTo;
    private final RenderedOnce liveCustomersWith;
    private final RenderedOnce lockCustomers;
    private final RenderedOnce lockLinks;
    private final RenderedOnce processedAmong;
    private final RenderedOnce recordProcessed;
    private final RenderedOnce insertCustomers;
    private final RenderedOnce updateCustomers;
    private final RenderedOnce insertChanges;
    private final RenderedOnce upsertLinks;

    public PostgresInboundBatchStore(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        customersLinkedTo = RenderedOnce.of(dsl, placeholders -> dsl.select(EXTERNAL_LINKS.CUSTOMER_ID)
                .from(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.SYSTEM_NAME.eq(placeholders.next(EXTERNAL_LINKS.SYSTEM_NAME.getDataType())))
                .and(EXTERNAL_LINKS.EXTERNAL_ID.eq(any(placeholders.next(TEXT_ARRAY)))));
        liveCustomersWith = RenderedOnce.of(dsl, placeholders -> {
            Table<?> requested = unnest(placeholders.next(TEXT_ARRAY)).as("requested", EMAIL.getName());
            Table<?> holders = lateral(select(CUSTOMERS.ID).from(CUSTOMERS)
                    .where(CUSTOMERS.DELETED_AT.isNull())
                    .and(lower(CUSTOMERS.EMAIL).eq(lower(requested.field(EMAIL))))).as("holder");
            return dsl.select(holders.field(CUSTOMERS.ID)).from(requested).crossJoin(holders);
        });
        lockCustomers = RenderedOnce.of(dsl, placeholders -> dsl.selectFrom(CUSTOMERS)
                .where(CUSTOMERS.ID.eq(any(placeholders.next(UUID_ARRAY))))
                .orderBy(CUSTOMERS.ID)
                .forUpdate());
        lockLinks = RenderedOnce.of(dsl, placeholders -> dsl.selectFrom(EXTERNAL_LINKS)
                .where(EXTERNAL_LINKS.CUSTOMER_ID.eq(any(placeholders.next(UUID_ARRAY))))
                .orderBy(EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME)
                .forUpdate());
        processedAmong = RenderedOnce.of(dsl, placeholders -> dsl.select(PROCESSED_EVENTS.EVENT_ID)
                .from(PROCESSED_EVENTS)
                .where(PROCESSED_EVENTS.SYSTEM_NAME.eq(placeholders.next(PROCESSED_EVENTS.SYSTEM_NAME.getDataType())))
                .and(PROCESSED_EVENTS.EVENT_ID.eq(any(placeholders.next(TEXT_ARRAY)))));
        recordProcessed = RenderedOnce.of(dsl, placeholders -> {
            Field<String> system = placeholders.next(PROCESSED_EVENTS.SYSTEM_NAME.getDataType());
            Table<?> rows = unnest(placeholders.next(TEXT_ARRAY)).as("r", PROCESSED_EVENTS.EVENT_ID.getName());
            return dsl.insertInto(PROCESSED_EVENTS, PROCESSED_EVENTS.SYSTEM_NAME, PROCESSED_EVENTS.EVENT_ID)
                    .select(select(system, rows.field(PROCESSED_EVENTS.EVENT_ID)).from(rows))
                    .onConflict(PROCESSED_EVENTS.SYSTEM_NAME, PROCESSED_EVENTS.EVENT_ID)
                    .doNothing()
                    .returningResult(PROCESSED_EVENTS.EVENT_ID);
        });
        insertCustomers = RenderedOnce.of(dsl, placeholders -> {
            ArrayRows rows = new ArrayRows(placeholders, "r", ADDED);
            return dsl.insertInto(CUSTOMERS, CUSTOMERS.ID, CUSTOMERS.NAME, CUSTOMERS.EMAIL, CUSTOMERS.VERSION,
                            CUSTOMERS.CREATED_AT, CUSTOMERS.UPDATED_AT, CUSTOMERS.DELETED_AT)
                    .select(select(rows.field(CUSTOMERS.ID), rows.field(CUSTOMERS.NAME), rows.field(CUSTOMERS.EMAIL),
                            rows.field(CUSTOMERS.VERSION), rows.field(CUSTOMERS.CREATED_AT),
                            rows.field(CUSTOMERS.UPDATED_AT), rows.field(CUSTOMERS.DELETED_AT))
                            .from(rows.table()));
        });
        updateCustomers = RenderedOnce.of(dsl, placeholders -> {
            ArrayRows rows = new ArrayRows(placeholders, "r", concat(REPLACED, READ_VERSION));
            return dsl.update(CUSTOMERS)
                    .set(CUSTOMERS.NAME, rows.field(CUSTOMERS.NAME))
                    .set(CUSTOMERS.EMAIL, rows.field(CUSTOMERS.EMAIL))
                    .set(CUSTOMERS.VERSION, rows.field(CUSTOMERS.VERSION))
                    .set(CUSTOMERS.UPDATED_AT, rows.field(CUSTOMERS.UPDATED_AT))
                    .set(CUSTOMERS.DELETED_AT, rows.field(CUSTOMERS.DELETED_AT))
                    .from(rows.table())
                    .where(CUSTOMERS.ID.eq(rows.field(CUSTOMERS.ID)))
                    .and(CUSTOMERS.VERSION.eq(rows.field(READ_VERSION)))
                    .returningResult(CUSTOMERS.ID);
        });
        insertChanges = RenderedOnce.of(dsl, placeholders -> {
            ArrayRows rows = new ArrayRows(placeholders, "r", concat(CHANGED, POSITION));
            return dsl.insertInto(CUSTOMER_CHANGES, CUSTOMER_CHANGES.CUSTOMER_ID, CUSTOMER_CHANGES.VERSION,
                            CUSTOMER_CHANGES.KIND, CUSTOMER_CHANGES.ORIGIN, CUSTOMER_CHANGES.NAME, CUSTOMER_CHANGES.EMAIL,
                            CUSTOMER_CHANGES.OCCURRED_AT)
                    .select(select(rows.field(CUSTOMER_CHANGES.CUSTOMER_ID), rows.field(CUSTOMER_CHANGES.VERSION),
                            rows.field(CUSTOMER_CHANGES.KIND), rows.field(CUSTOMER_CHANGES.ORIGIN),
                            rows.field(CUSTOMER_CHANGES.NAME), rows.field(CUSTOMER_CHANGES.EMAIL),
                            rows.field(CUSTOMER_CHANGES.OCCURRED_AT))
                            .from(rows.table())
                            // PostgreSQL draws identity values after sorting: ids follow this order.
                            .orderBy(rows.field(POSITION)));
        });
        upsertLinks = RenderedOnce.of(dsl, placeholders -> {
            ArrayRows rows = new ArrayRows(placeholders, "r", LINKED);
            return dsl.insertInto(EXTERNAL_LINKS, EXTERNAL_LINKS.CUSTOMER_ID, EXTERNAL_LINKS.SYSTEM_NAME,
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
                    .set(EXTERNAL_LINKS.UPDATED_AT, excluded(EXTERNAL_LINKS.UPDATED_AT));
        });
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
        return customersLinkedTo.query(dsl, system.value(), texts(externalIds, ExternalId::value))
                .coerce(EXTERNAL_LINKS.CUSTOMER_ID)
                .fetchSet(Record1::value1);
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
        return liveCustomersWith.query(dsl, (Object) texts(emails, Email::value))
                .coerce(CUSTOMERS.ID)
                .fetchSet(Record1::value1);
    }

    /** Tombstones included: the rows of these ids, locked in id order. */
    private List<Customer> lockCustomers(Set<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return lockCustomers.query(dsl, (Object) ids.toArray(UUID[]::new))
                .coerce(CUSTOMERS)
                .fetch(CustomerRows::toCustomer);
    }

    private List<ExternalLink> lockLinksOf(List<Customer> customers) {
        if (customers.isEmpty()) {
            return List.of();
        }
        UUID[] ids = customers.stream().map(customer -> customer.id().value()).toArray(UUID[]::new);
        return lockLinks.query(dsl, (Object) ids)
                .coerce(EXTERNAL_LINKS)
                .fetch(ExternalLinkRows::toLink);
    }

    private Set<EventId> processedAmong(SystemName system, Set<EventId> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        return processedAmong.query(dsl, system.value(), texts(events, EventId::value))
                .coerce(PROCESSED_EVENTS.EVENT_ID)
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
        Set<String> recorded = ConnectionFailures.translating(() -> recordProcessed
                .query(dsl, system.value(), texts(events, EventId::value))
                .coerce(PROCESSED_EVENTS.EVENT_ID)
                .fetchSet(Record1::value1));
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
        try {
            insertCustomers.execute(dsl, columns(added.stream().map(CustomerRows::toRow).toList(), ADDED));
        } catch (DataAccessException e) {
            throw EmailConflicts.emailConflictOr(e, added);
        }
    }

    /** Writes each replacement only while its row is at the version read; the ids returned tell which were. */
    private void replace(List<Replacement> replaced) {
        if (replaced.isEmpty()) {
            return;
        }
        Object[] columns = columns(replaced.stream().map(replacement -> CustomerRows.toRow(replacement.next())).toList(),
                REPLACED, replaced.stream().map(replacement -> replacement.readVersion().value()).toArray(Long[]::new));
        Set<UUID> written;
        try {
            written = updateCustomers.query(dsl, columns).coerce(CUSTOMERS.ID).fetchSet(Record1::value1);
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
        Integer[] positions = IntStream.range(0, records.size()).boxed().toArray(Integer[]::new);
        Object[] columns = columns(records, CHANGED, positions);
        ConnectionFailures.translating(() -> insertChanges.execute(dsl, columns));
    }

    /** Each link as given, every column replaced when it exists. */
    private void upsert(List<ExternalLink> links) {
        if (links.isEmpty()) {
            return;
        }
        try {
            upsertLinks.execute(dsl, columns(links.stream().map(ExternalLinkRows::toRow).toList(), LINKED));
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

    /** The items' texts as one array. */
    private static <T> String[] texts(Collection<T> items, Function<T, String> text) {
        return items.stream().map(text).toArray(String[]::new);
    }

    /** One array per column of {@code columns}, of the rows' values in order: an {@link ArrayRows} statement's values. */
    private static Object[] columns(List<? extends Record> rows, List<Field<?>> columns) {
        Object[] arrays = new Object[columns.size()];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = column(rows, columns.get(i));
        }
        return arrays;
    }

    /** As {@link #columns(List, List)}, and then {@code last}: the values of a statement made with {@link #concat}. */
    private static Object[] columns(List<? extends Record> rows, List<Field<?>> columns, Object[] last) {
        Object[] arrays = Arrays.copyOf(columns(rows, columns), columns.size() + 1);
        arrays[columns.size()] = last;
        return arrays;
    }

    private static <T> T[] column(List<? extends Record> rows, Field<T> column) {
        T[] values = newArray(column.getType(), rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = rows.get(i).get(column);
        }
        return values;
    }

    private static List<Field<?>> concat(List<Field<?>> columns, Field<?> more) {
        List<Field<?>> all = new ArrayList<>(columns);
        all.add(more);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static <V> V[] newArray(Class<V> type, int size) {
        return (V[]) Array.newInstance(type, size);
    }

    /**
     * Rows handed to the database as one array per column and zipped back into rows by PostgreSQL's
     * {@code unnest(?, ?, ...) AS alias(column, ...)}: one bind per column, whatever the number of rows. Each
     * column is named like the table column it holds, and {@link #field} finds it by that column. The arrays are
     * placeholders of a {@link RenderedOnce} statement, in the columns' order.
     */
    private static final class ArrayRows {

        private final String alias;
        private final List<Field<?>> arrays = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();

        ArrayRows(RenderedOnce.Placeholders placeholders, String alias, List<Field<?>> columns) {
            this.alias = alias;
            for (Field<?> column : columns) {
                if (!names.add(column.getName())) {
                    throw new IllegalArgumentException("Each column once: " + column.getName());
                }
                arrays.add(placeholders.next(ArrayTypes.of(column.getDataType())));
            }
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
