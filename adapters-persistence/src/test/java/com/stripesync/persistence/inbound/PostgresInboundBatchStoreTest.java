package com.stripesync.persistence.inbound;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.insertLink;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static com.stripesync.persistence.jooq.Tables.CUSTOMER_CHANGES;
import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;
import static com.stripesync.persistence.jooq.Tables.PROCESSED_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.inbound.CatalogSlice;
import com.stripesync.domain.inbound.CatalogWrites;
import com.stripesync.domain.inbound.CatalogWrites.Change;
import com.stripesync.domain.inbound.CatalogWrites.Replacement;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundBatchStore;
import com.stripesync.domain.inbound.SliceRequest;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.RecordedStatements;
import com.stripesync.persistence.TestSettings;
import com.stripesync.persistence.transaction.PostgresUnitOfWork;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batch store against PostgreSQL: what it locks, what it writes, how it fails, and what it costs. */
@ExtendWith(PostgresExtension.class)
class PostgresInboundBatchStoreTest {

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final SystemName SALESFORCE = new SystemName("salesforce");
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private TestDatabase testDatabase;
    private PostgresDatabase database;
    private InboundBatchStore store;
    private CustomerCatalog catalog;
    private UnitOfWork unitOfWork;
    /** Another connection: sees only what was committed. */
    private DSLContext sql;
    private ExecutorService threads;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        this.testDatabase = testDatabase;
        database = PostgresDatabase.open(TestSettings.of(testDatabase));
        store = database.inboundBatchStore();
        catalog = database.customerCatalog();
        unitOfWork = database.unitOfWork();
        sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        database.close();
    }

    @Test
    void lockReturnsTheCustomersWithTheRequestedIdsTombstonesIncludedInIdOrder() {
        Customer ada = added(registered("Ada", "ada@x.io"));
        Customer gone = replaced(added(registered("Gone", "gone@x.io")).delete(T0.plusSeconds(1)));
        added(registered("Other", "other@x.io"));

        CatalogSlice slice = lock(request().customerIds(ada.id(), gone.id(), CustomerId.generate()));

        assertThat(slice.customers()).containsExactlyElementsOf(byId(ada, gone));
        assertThat(slice.links()).isEmpty();
        assertThat(slice.processed()).isEmpty();
    }

    @Test
    void lockReturnsTheCustomersLinkedToTheRequestedExternalIdsOfTheBatchsSystemOnly() {
        Customer ada = added(registered("Ada", "ada@x.io"));
        Customer gone = replaced(added(registered("Gone", "gone@x.io")).delete(T0.plusSeconds(1)));
        Customer elsewhere = added(registered("Elsewhere", "elsewhere@x.io"));
        Customer unrequested = added(registered("Unrequested", "unrequested@x.io"));
        ExternalLink adaStripe = link(ada, STRIPE, "cus_1");
        ExternalLink goneStripe = link(gone, STRIPE, "cus_2");
        ExternalLink elsewhereSalesforce = link(elsewhere, SALESFORCE, "cus_1");
        link(unrequested, STRIPE, "cus_3");

        CatalogSlice slice = lock(request().externalIds("cus_1", "cus_2", "cus_unknown"));

        assertThat(slice.customers()).containsExactlyElementsOf(byId(ada, gone));
        assertThat(slice.links()).containsExactlyInAnyOrder(adaStripe, goneStripe).doesNotContain(elsewhereSalesforce);
    }

    @Test
    void lockReturnsTheLiveCustomersWithTheRequestedEmailsIgnoringCase() {
        Customer formerHolder = replaced(added(registered("Former", "ada@example.io")).delete(T0.plusSeconds(1)));
        Customer ada = added(registered("Ada", "Ada@Example.io"));
        Customer bob = added(registered("Bob", "BOB@x.io"));
        added(registered("Other", "other@x.io"));

        CatalogSlice slice = lock(request().emails("ADA@example.IO", "bob@X.io", "nobody@x.io"));

        assertThat(slice.customers()).containsExactlyElementsOf(byId(ada, bob)).doesNotContain(formerHolder);
    }

    @Test
    void lockReturnsEveryLinkOfTheCustomersFoundToAnySystemAsStored() {
        Customer ada = added(registered("Ada", "ada@x.io"));
        Customer bob = added(registered("Bob", "bob@x.io"));
        ExternalLink adaStripe = new ExternalLink(ada.id(), STRIPE, new ExternalId("cus_1"), SyncStatus.FAILED,
                T0.plusSeconds(1), "refused", new Version(3), T0.plusSeconds(2));
        ExternalLink adaSalesforce = new ExternalLink(ada.id(), SALESFORCE, null, SyncStatus.PENDING, null, null, null,
                null);
        insertLink(sql, adaStripe);
        insertLink(sql, adaSalesforce);
        link(bob, STRIPE, "cus_2");

        CatalogSlice slice = lock(request().customerIds(ada.id()));

        assertThat(slice.links()).containsExactly(adaSalesforce, adaStripe);
    }

    @Test
    void lockReturnsTheRequestedEventsAppliedBeforeToTheBatchsSystem() {
        database.inboundLedger().recordOnce(STRIPE, new EventId("evt_1"));
        database.inboundLedger().recordOnce(STRIPE, new EventId("evt_2"));
        database.inboundLedger().recordOnce(SALESFORCE, new EventId("evt_3"));

        CatalogSlice slice = lock(request().events("evt_1", "evt_3", "evt_4"));

        assertThat(slice.processed()).containsExactly(new EventId("evt_1"));
        assertThat(slice.customers()).isEmpty();
    }

    @Test
    void lockOutsideAUnitOfWorkFailsClearly() {
        assertThatThrownBy(() -> store.lock(request().events("evt_1").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a unit of work");
    }

    @Test
    void anotherTransactionsUpdateOfALockedCustomerWaitsUntilTheLockHolderCommits() throws Exception {
        Customer ada = added(registered("Ada", "ada@x.io"));
        String blockedName = "Blocked " + CustomerId.generate();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<CatalogSlice> holder = threads.submit(() -> unitOfWork.inTransaction(() -> {
            CatalogSlice slice = store.lock(request().customerIds(ada.id()).build());
            locked.countDown();
            awaitQuietly(commit);
            return slice;
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

        Future<Integer> update = threads.submit(() -> sql.execute(
                "UPDATE customers SET name = '" + blockedName + "' WHERE id = ?", ada.id().value()));
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingForALock(blockedName));
        assertThat(update).isNotDone();
        commit.countDown();

        assertThat(holder.get(10, TimeUnit.SECONDS).customers()).containsExactly(ada);
        assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(sql.fetchSingle(CUSTOMERS, CUSTOMERS.ID.eq(ada.id().value())).getName()).isEqualTo(blockedName);
    }

    @Test
    void everyCustomerAndLinkInTheSliceStaysLockedUntilTheUnitOfWorkEndsAndNothingElseIs() throws SQLException {
        Customer byId = added(registered("By id", "by-id@x.io"));
        Customer byExternalId = added(registered("By external id", "by-external-id@x.io"));
        Customer byEmail = added(registered("By email", "by-email@x.io"));
        Customer untouched = added(registered("Untouched", "untouched@x.io"));
        link(byId, SALESFORCE, "sf_1");
        link(byExternalId, STRIPE, "cus_1");
        link(byEmail, STRIPE, "cus_2");
        link(untouched, STRIPE, "cus_3");
        SliceRequest request = request().customerIds(byId.id()).externalIds("cus_1").emails("BY-EMAIL@x.io").build();

        try (Connection other = testDatabase.dataSource().getConnection()) {
            try (Statement statement = other.createStatement()) {
                statement.execute("SET lock_timeout = '200ms'");
            }
            unitOfWork.run(() -> {
                assertThat(store.lock(request).customers()).hasSize(3);
                for (Customer locked : List.of(byId, byExternalId, byEmail)) {
                    assertThat(updateFails(other, renameCustomer(locked))).isEqualTo(LOCK_NOT_AVAILABLE);
                    assertThat(updateFails(other, touchLinks(locked))).isEqualTo(LOCK_NOT_AVAILABLE);
                }
                assertThat(updateFails(other, renameCustomer(untouched))).isNull();
                assertThat(updateFails(other, touchLinks(untouched))).isNull();
            });

            assertThat(updateFails(other, renameCustomer(byEmail))).isNull();
            assertThat(updateFails(other, touchLinks(byEmail))).isNull();
        }
    }

    @Test
    void writeAppliesTheBatchAsTheOtherStoresThenSeeIt() {
        Customer bob = added(registered("Bob", "bob@x.io"));
        Customer carl = added(registered("Carl", "carl@x.io"));
        ExternalLink bobStripe = link(bob, STRIPE, "cus_b");
        Customer ada = registered("Ada", "ada@x.io", T0.plusSeconds(1));
        Customer bobRenamed = bob.change(new CustomerName("Bob Renamed"), new Email("Bob@New.io"), T0.plusSeconds(2));
        Customer carlDeleted = carl.delete(T0.plusSeconds(3));
        ExternalLink adaStripe = new ExternalLink(ada.id(), STRIPE, new ExternalId("cus_a"), SyncStatus.SYNCED, null,
                null, null, T0.plusSeconds(1));
        ExternalLink bobStripeLater = new ExternalLink(bob.id(), STRIPE, new ExternalId("cus_b"), SyncStatus.PENDING,
                bobStripe.syncedAt(), null, bobStripe.handledVersion(), T0.plusSeconds(2));
        ExternalLink carlSalesforce = new ExternalLink(carl.id(), SALESFORCE, null, SyncStatus.PENDING, null, null,
                null, null);
        CatalogWrites writes = new CatalogWrites(STRIPE, events("evt_1", "evt_2"), List.of(ada),
                List.of(new Replacement(bobRenamed, bob.version()), new Replacement(carlDeleted, carl.version())),
                List.of(new Change(ada, ChangeKind.CREATED, ChangeOrigin.from(STRIPE)),
                        new Change(bobRenamed, ChangeKind.UPDATED, ChangeOrigin.from(STRIPE)),
                        new Change(carlDeleted, ChangeKind.DELETED, ChangeOrigin.from(STRIPE))),
                List.of(adaStripe, bobStripeLater, carlSalesforce));

        unitOfWork.run(() -> store.write(writes));

        assertThat(catalog.find(ada.id())).contains(new LinkedCustomer(ada, Map.of(STRIPE, adaStripe)));
        assertThat(catalog.find(bob.id())).contains(new LinkedCustomer(bobRenamed, Map.of(STRIPE, bobStripeLater)));
        assertThat(catalog.findByEmail(new Email("bob@new.IO"))).map(LinkedCustomer::customer).contains(bobRenamed);
        assertThat(catalog.find(carl.id())).isEmpty();
        assertThat(catalog.currentVersion(carl.id())).contains(carlDeleted.version());
        assertThat(database.externalLinks().find(carl.id(), SALESFORCE)).contains(carlSalesforce);
        List<CustomerChange> changes = unitOfWork.inTransaction(() -> database.changeOutbox().lockNextUnpublished(10));
        assertThat(changes).extracting(CustomerChange::id).isSortedAccordingTo(Comparator.comparingLong(ChangeId::value));
        assertThat(changes).containsExactly(
                CustomerChange.of(changes.get(0).id(), ada, ChangeKind.CREATED, ChangeOrigin.from(STRIPE)),
                CustomerChange.of(changes.get(1).id(), bobRenamed, ChangeKind.UPDATED, ChangeOrigin.from(STRIPE)),
                CustomerChange.of(changes.get(2).id(), carlDeleted, ChangeKind.DELETED, ChangeOrigin.from(STRIPE)));
        assertThat(database.inboundLedger().recordOnce(STRIPE, new EventId("evt_1"))).isFalse();
        assertThat(database.inboundLedger().recordOnce(STRIPE, new EventId("evt_2"))).isFalse();
        assertThat(database.inboundLedger().recordOnce(SALESFORCE, new EventId("evt_1"))).isTrue();
    }

    @Test
    void aWrittenLinkReplacesEveryColumnOfTheStoredOneAndIsStampedWithTheWriteTime() {
        Customer ada = added(registered("Ada", "ada@x.io"));
        insertLink(sql, new ExternalLink(ada.id(), STRIPE, new ExternalId("cus_1"), SyncStatus.FAILED,
                T0.plusSeconds(1), "refused", new Version(1), T0.plusSeconds(2)));
        ExternalLink cleared = new ExternalLink(ada.id(), STRIPE, null, SyncStatus.PENDING, null, null, null, null);
        OffsetDateTime before = sql.select(DSL.currentOffsetDateTime()).fetchSingle().value1();

        unitOfWork.run(() -> store.write(linksOnly(cleared)));

        assertThat(database.externalLinks().find(ada.id(), STRIPE)).contains(cleared);
        assertThat(sql.fetchSingle(EXTERNAL_LINKS).getUpdatedAt()).isAfterOrEqualTo(before);
    }

    @Test
    void outboxRecordsGetIdsInTheOrderTheBatchListsThem() {
        List<Customer> customers = IntStream.range(0, 200)
                .mapToObj(i -> registered("Customer " + i, "customer" + i + "@x.io"))
                .toList();
        List<Change> changes = customers.stream()
                .map(customer -> new Change(customer, ChangeKind.CREATED, ChangeOrigin.from(STRIPE)))
                .toList();

        unitOfWork.run(() -> store.write(new CatalogWrites(STRIPE, List.of(), customers, List.of(), changes, List.of())));

        List<CustomerChange> recorded = unitOfWork.inTransaction(() -> database.changeOutbox().lockNextUnpublished(500));
        assertThat(recorded).extracting(CustomerChange::customerId)
                .containsExactlyElementsOf(customers.stream().map(Customer::id).toList());
    }

    @Test
    void aStaleReplacementFailsWithStaleVersionAndLeavesNothingOfTheBatch() {
        Customer bob = added(registered("Bob", "bob@x.io"));
        Customer carl = added(registered("Carl", "carl@x.io"));
        Customer bobElsewhere = replaced(bob.change(new CustomerName("Bob Elsewhere"), null, T0.plusSeconds(1)));
        Customer ada = registered("Ada", "ada@x.io");
        Customer carlRenamed = carl.change(new CustomerName("Carl Renamed"), null, T0.plusSeconds(2));
        Customer bobFromStaleRead = bob.change(new CustomerName("Bob Stale"), null, T0.plusSeconds(2));
        CatalogWrites writes = new CatalogWrites(STRIPE, events("evt_1"), List.of(ada),
                List.of(new Replacement(carlRenamed, carl.version()), new Replacement(bobFromStaleRead, bob.version())),
                List.of(new Change(ada, ChangeKind.CREATED, ChangeOrigin.from(STRIPE))),
                List.of(stripeLink(ada, "cus_a")));

        StaleVersion stale = catchThrowableOfType(StaleVersion.class, () -> unitOfWork.run(() -> store.write(writes)));

        assertThat(stale).isNotNull();
        assertThat(stale.id()).isEqualTo(bob.id());
        assertThat(stale.expected()).isEqualTo(bob.version());
        assertNothingOfTheBatchStays(bobElsewhere, carl);
    }

    @Test
    void anAddedCustomersEmailTakenByALiveCustomerOutsideTheBatchFailsWithEmailAlreadyInUse() {
        Customer holder = added(registered("Holder", "taken@x.io"));
        Customer ada = registered("Ada", "ada@x.io");
        Customer zed = registered("Zed", "TAKEN@x.io");
        CatalogWrites writes = new CatalogWrites(STRIPE, events("evt_1"), List.of(ada, zed), List.of(),
                List.of(new Change(zed, ChangeKind.CREATED, ChangeOrigin.from(STRIPE))), List.of(stripeLink(zed, "cus_z")));

        EmailAlreadyInUse clash = catchThrowableOfType(EmailAlreadyInUse.class,
                () -> unitOfWork.run(() -> store.write(writes)));

        assertThat(clash).isNotNull();
        assertThat(clash.email()).isEqualTo(new Email("TAKEN@x.io"));
        assertNothingOfTheBatchStays(holder);
    }

    @Test
    void aReplacementsEmailTakenByALiveCustomerOutsideTheBatchFailsWithEmailAlreadyInUse() {
        Customer holder = added(registered("Holder", "taken@x.io"));
        Customer bob = added(registered("Bob", "bob@x.io"));
        Customer carl = added(registered("Carl", "carl@x.io"));
        Customer bobTakingIt = bob.change(bob.name(), new Email("Taken@X.io"), T0.plusSeconds(1));
        Customer carlRenamed = carl.change(new CustomerName("Carl Renamed"), new Email("carl@new.io"), T0.plusSeconds(1));
        CatalogWrites writes = new CatalogWrites(STRIPE, events("evt_1"), List.of(),
                List.of(new Replacement(carlRenamed, carl.version()), new Replacement(bobTakingIt, bob.version())),
                List.of(new Change(bobTakingIt, ChangeKind.UPDATED, ChangeOrigin.from(STRIPE))), List.of());

        EmailAlreadyInUse clash = catchThrowableOfType(EmailAlreadyInUse.class,
                () -> unitOfWork.run(() -> store.write(writes)));

        assertThat(clash).isNotNull();
        assertThat(clash.email()).isEqualTo(new Email("Taken@X.io"));
        assertNothingOfTheBatchStays(holder, bob, carl);
    }

    @Test
    void anEventAlreadyInTheLedgerFailsTheBatchNamingIt() {
        database.inboundLedger().recordOnce(STRIPE, new EventId("evt_applied_elsewhere"));
        database.inboundLedger().recordOnce(SALESFORCE, new EventId("evt_1"));
        Customer ada = registered("Ada", "ada@x.io");
        CatalogWrites writes = new CatalogWrites(STRIPE, events("evt_1", "evt_applied_elsewhere"), List.of(ada),
                List.of(), List.of(new Change(ada, ChangeKind.CREATED, ChangeOrigin.from(STRIPE))), List.of());

        assertThatThrownBy(() -> unitOfWork.run(() -> store.write(writes)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("evt_applied_elsewhere")
                .hasMessageNotContaining("evt_1");

        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isEqualTo(2);
        assertThat(sql.fetchCount(CUSTOMERS)).isZero();
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isZero();
    }

    @Test
    void aLinkTakingAnExternalIdAnotherCustomersLinkHoldsFailsNamingSystemAndId() {
        Customer holder = added(registered("Holder", "holder@x.io"));
        link(holder, STRIPE, "cus_taken");
        Customer ada = registered("Ada", "ada@x.io");
        Customer bob = registered("Bob", "bob@x.io");
        CatalogWrites writes = new CatalogWrites(STRIPE, events("evt_1"), List.of(ada, bob), List.of(), List.of(),
                List.of(stripeLink(ada, "cus_a"), stripeLink(bob, "cus_taken")));

        assertThatThrownBy(() -> unitOfWork.run(() -> store.write(writes)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stripe id cus_taken")
                .hasMessageContaining(bob.id().toString());

        assertNothingOfTheBatchStays(holder);
        assertThat(sql.fetchCount(EXTERNAL_LINKS)).isEqualTo(1);
    }

    @Test
    void aBatchWritingAnEventTwiceIsRefusedBeforeAnythingIsWritten() {
        CatalogWrites writes = new CatalogWrites(STRIPE, events("evt_1", "evt_1"), List.of(), List.of(), List.of(),
                List.of());

        assertThatThrownBy(() -> unitOfWork.run(() -> store.write(writes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evt_1");

        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isZero();
    }

    @Test
    void aBatchReplacingACustomerWithoutMovingItsVersionOnIsRefused() {
        Customer bob = added(registered("Bob", "bob@x.io"));
        Customer bobChanged = bob.change(new CustomerName("Bob Changed"), null, T0.plusSeconds(1));

        assertThatThrownBy(() -> unitOfWork.run(() -> store.write(new CatalogWrites(STRIPE, events("evt_1"),
                List.of(), List.of(new Replacement(bobChanged, bobChanged.version())), List.of(), List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bob.id().toString());

        assertNothingOfTheBatchStays(bob);
    }

    @Test
    void writeOutsideAUnitOfWorkFailsClearlyAndWritesNothing() {
        assertThatThrownBy(() -> store.write(new CatalogWrites(STRIPE, events("evt_1"), List.of(), List.of(), List.of(),
                List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a unit of work");

        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isZero();
    }

    @Test
    void aConnectionLostBetweenLockAndWriteIsCatalogUnavailable() {
        Customer ada = registered("Ada", "ada@x.io");
        List<RuntimeException> seenByTheWork = new ArrayList<>();

        assertThatThrownBy(() -> unitOfWork.run(() -> {
            store.lock(request().events("evt_1").emails("ada@x.io").build());
            terminateBackendsInTransaction();
            try {
                store.write(new CatalogWrites(STRIPE, events("evt_1"), List.of(ada), List.of(), List.of(), List.of()));
            } catch (RuntimeException e) {
                seenByTheWork.add(e);
                throw e;
            }
        })).isInstanceOf(CatalogUnavailable.class);

        assertThat(seenByTheWork).singleElement().isInstanceOf(CatalogUnavailable.class);
        assertThat(sql.fetchCount(CUSTOMERS)).isZero();
    }

    @Test
    void theTablesStatisticsAreRefreshedOnceBatchesInsertedAThousandRowsAndAgainEachTimeThatDoubles() {
        assertThat(analyzeCount()).isZero();

        writeBatchOfNewCustomers(0, 400);
        assertThat(analyzeCount()).as("800 rows inserted").isZero();
        writeBatchOfNewCustomers(400, 200);
        assertThat(analyzeCount()).as("1,200 rows inserted").isEqualTo(1);
        writeBatchOfNewCustomers(600, 500);
        assertThat(analyzeCount()).as("2,200 rows inserted: not yet double the 1,200 of the last refresh").isEqualTo(1);
        writeBatchOfNewCustomers(1100, 200);
        assertThat(analyzeCount()).as("2,600 rows inserted").isEqualTo(2);
    }

    /** Manual ANALYZEs of the customers table in this test's schema. */
    private long analyzeCount() {
        return sql.fetchSingle("select analyze_count from pg_stat_user_tables where relname = 'customers'"
                + " and schemaname = current_schema()").get(0, Long.class);
    }

    /** A batch importing {@code count} new customers, one event each: 2 inserted rows per customer. */
    private void writeBatchOfNewCustomers(int from, int count) {
        List<Customer> added = IntStream.range(from, from + count)
                .mapToObj(i -> registered("Imported " + i, "imported" + i + "@x.io"))
                .toList();
        List<EventId> events = IntStream.range(from, from + count).mapToObj(i -> new EventId("evt_import_" + i)).toList();
        unitOfWork.run(() -> store.write(new CatalogWrites(STRIPE, events, added, List.of(), List.of(), List.of())));
    }

    @Test
    void lockingOrWritingNothingRunsNoStatement() {
        List<String> statements = new CopyOnWriteArrayList<>();
        Counted counted = counted(statements);

        counted.unitOfWork().run(() -> {
            assertThat(counted.store().lock(request().build())).isEqualTo(new CatalogSlice(Set.of(), List.of(), List.of()));
            counted.store().write(new CatalogWrites(STRIPE, List.of(), List.of(), List.of(), List.of(), List.of()));
        });

        assertThat(statements).isEmpty();
    }

    @Test
    void aBatchOf500EventsTakesSixStatementsToLockAndFiveToWriteTheSameAsABatchOfTwo() {
        List<String> statements = new CopyOnWriteArrayList<>();
        Counted counted = counted(statements);
        List<Customer> stored = IntStream.range(0, 250)
                .mapToObj(i -> added(registered("Stored " + i, "stored" + i + "@x.io")))
                .toList();
        stored.forEach(customer -> link(customer, STRIPE, "cus_" + customer.id()));

        List<String> batchOfTwo = statementsOf(counted, statements, stored.subList(0, 1), 2);
        List<String> batchOf500 = statementsOf(counted, statements, stored.subList(1, 250), 500);

        assertThat(batchOf500).hasSize(11).containsExactlyElementsOf(batchOfTwo);
        assertThat(batchOf500).noneMatch(statement -> statement.toLowerCase(Locale.ROOT).contains(" in ("));
        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isEqualTo(502);
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isEqualTo(502);
        assertThat(sql.fetchCount(CUSTOMERS)).isEqualTo(250 + 1 + 251);
        assertThat(sql.fetchCount(CUSTOMERS, CUSTOMERS.VERSION.eq(2L))).isEqualTo(250);
        assertThat(sql.fetchCount(EXTERNAL_LINKS, EXTERNAL_LINKS.LAST_EVENT_AT.isNotNull())).isEqualTo(502);
    }

    /**
     * Locks and writes a batch of {@code events} events: each one changes one of {@code stored} (found by its
     * external id) or adds a new customer (found absent by email), with a link for each. Returns the statements
     * run.
     */
    private List<String> statementsOf(Counted counted, List<String> statements, List<Customer> stored, int events) {
        statements.clear();
        List<EventId> eventIds = IntStream.range(0, events).mapToObj(i -> new EventId("evt_" + events + "_" + i)).toList();
        List<Customer> updated = stored.stream().limit(events).toList();
        List<Customer> added = IntStream.range(updated.size(), events)
                .mapToObj(i -> registered("New " + events + " " + i, "new" + events + "_" + i + "@x.io"))
                .toList();
        SliceRequest request = new SliceRequest(STRIPE, Set.copyOf(eventIds),
                updated.stream().map(customer -> new ExternalId("cus_" + customer.id())).collect(Collectors.toSet()),
                Set.of(),
                added.stream().map(customer -> customer.email().orElseThrow()).collect(Collectors.toSet()));
        counted.unitOfWork().run(() -> {
            CatalogSlice slice = counted.store().lock(request);
            assertThat(slice.customers()).hasSize(updated.size());
            List<Replacement> replacements = slice.customers().stream()
                    .map(customer -> new Replacement(customer.change(new CustomerName(customer.name().value() + "!"), null,
                            T0.plusSeconds(1)), customer.version()))
                    .toList();
            List<Change> changes = Stream.concat(
                            added.stream().map(customer -> new Change(customer, ChangeKind.CREATED, ChangeOrigin.from(STRIPE))),
                            replacements.stream().map(r -> new Change(r.next(), ChangeKind.UPDATED, ChangeOrigin.from(STRIPE))))
                    .toList();
            List<ExternalLink> links = Stream.concat(
                            added.stream().map(customer -> stripeLink(customer, "cus_" + customer.id())),
                            slice.links().stream().map(link -> new ExternalLink(link.customerId(), link.system(),
                                    link.externalId(), link.status(), link.syncedAt(), link.lastError(),
                                    link.handledVersion(), T0.plusSeconds(1))))
                    .toList();
            counted.store().write(new CatalogWrites(STRIPE, eventIds, added, replacements, changes, links));
        });
        return List.copyOf(statements);
    }

    private void assertNothingOfTheBatchStays(Customer... storedBefore) {
        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isZero();
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isZero();
        assertThat(sql.fetchCount(CUSTOMERS)).isEqualTo(storedBefore.length);
        for (Customer customer : storedBefore) {
            assertThat(catalog.find(customer.id())).map(LinkedCustomer::customer).contains(customer);
        }
        assertThat(sql.fetchCount(EXTERNAL_LINKS, EXTERNAL_LINKS.CUSTOMER_ID.notIn(
                Stream.of(storedBefore).map(customer -> customer.id().value()).toList()))).isZero();
    }

    private Customer added(Customer customer) {
        catalog.add(customer);
        return customer;
    }

    private Customer replaced(Customer next) {
        catalog.replace(next);
        return next;
    }

    private ExternalLink link(Customer customer, SystemName system, String externalId) {
        ExternalLink link = new ExternalLink(customer.id(), system, new ExternalId(externalId), SyncStatus.SYNCED,
                T0.plusSeconds(60), null, Version.FIRST, null);
        insertLink(sql, link);
        return link;
    }

    private static ExternalLink stripeLink(Customer customer, String externalId) {
        return new ExternalLink(customer.id(), STRIPE, new ExternalId(externalId), SyncStatus.SYNCED, null, null, null,
                T0);
    }

    private static CatalogWrites linksOnly(ExternalLink... links) {
        return new CatalogWrites(STRIPE, List.of(), List.of(), List.of(), List.of(), List.of(links));
    }

    private static List<EventId> events(String... ids) {
        return Stream.of(ids).map(EventId::new).toList();
    }

    /** In PostgreSQL's uuid order: byte by byte, unsigned, as the text form sorts (Java's UUID order is signed). */
    private static List<Customer> byId(Customer... customers) {
        return Stream.of(customers).sorted(Comparator.comparing(customer -> customer.id().toString())).toList();
    }

    private CatalogSlice lock(Request request) {
        return unitOfWork.inTransaction(() -> store.lock(request.build()));
    }

    private static Request request() {
        return new Request();
    }

    /** Builds the {@link SliceRequest} of a stripe batch. */
    private static final class Request {

        private Set<EventId> events = Set.of();
        private Set<ExternalId> externalIds = Set.of();
        private Set<CustomerId> customerIds = Set.of();
        private Set<Email> emails = Set.of();

        Request events(String... ids) {
            events = Set.copyOf(PostgresInboundBatchStoreTest.events(ids));
            return this;
        }

        Request externalIds(String... ids) {
            externalIds = Stream.of(ids).map(ExternalId::new).collect(Collectors.toSet());
            return this;
        }

        Request customerIds(CustomerId... ids) {
            customerIds = Set.of(ids);
            return this;
        }

        Request emails(String... addresses) {
            emails = Stream.of(addresses).map(Email::new).collect(Collectors.toSet());
            return this;
        }

        SliceRequest build() {
            return new SliceRequest(STRIPE, events, externalIds, customerIds, emails);
        }
    }

    private static String renameCustomer(Customer customer) {
        return "UPDATE customers SET name = name || '!' WHERE id = '" + customer.id() + "'";
    }

    private static String touchLinks(Customer customer) {
        return "UPDATE external_links SET updated_at = now() WHERE customer_id = '" + customer.id() + "'";
    }

    /** The SQLSTATE of {@code update} run on {@code other}, or null when it went through. */
    private static String updateFails(Connection other, String update) {
        try (Statement statement = other.createStatement()) {
            assertThat(statement.executeUpdate(update)).isPositive();
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private boolean waitingForALock(String marker) {
        return sql.fetchSingle("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE ?", "%" + marker + "%").get(0, Integer.class) == 1;
    }

    /** Ends the service's connections that are inside a transaction, as a failover or a network cut would. */
    private void terminateBackendsInTransaction() {
        assertThat(sql.fetch("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND application_name = 'stripe-sync'"
                + " AND state = 'idle in transaction'").getValues(0, Boolean.class)).containsExactly(true);
    }

    /**
     * A store and unit of work over a context of their own, wired as the service's (thread-bound transactions
     * over the pool), on the same schema, that records each statement run.
     */
    private Counted counted(List<String> statements) {
        DSLContext dsl = RecordedStatements.threadBoundContext(testDatabase.dataSource(), statements);
        return new Counted(new PostgresInboundBatchStore(dsl), new PostgresUnitOfWork(dsl));
    }

    private record Counted(InboundBatchStore store, UnitOfWork unitOfWork) {
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the unit of work");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
