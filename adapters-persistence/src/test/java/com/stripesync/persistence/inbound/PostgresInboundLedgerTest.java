package com.stripesync.persistence.inbound;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static com.stripesync.persistence.jooq.Tables.CUSTOMER_CHANGES;
import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;
import static com.stripesync.persistence.jooq.Tables.PROCESSED_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the contract cannot say about the PostgreSQL ledger: it commits and rolls back with the unit of work. */
@ExtendWith(PostgresExtension.class)
class PostgresInboundLedgerTest {

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final EventId EVT_1 = new EventId("evt_1");
    private static final int RACERS = 6;

    private PostgresDatabase database;
    private InboundLedger ledger;
    private UnitOfWork unitOfWork;
    /** Another connection: sees only what was committed. */
    private DSLContext sql;
    private ExecutorService threads;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        database = PostgresDatabase.open(TestSettings.of(testDatabase, RACERS + 1));
        ledger = database.inboundLedger();
        unitOfWork = database.unitOfWork();
        sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
        threads = Executors.newFixedThreadPool(RACERS);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        database.close();
    }

    @Test
    void anEntryIsSeenByOthersOnlyOnceItsUnitOfWorkCommits() {
        boolean recorded = unitOfWork.inTransaction(() -> {
            boolean first = ledger.recordOnce(STRIPE, EVT_1);
            assertThat(ledger.recordOnce(STRIPE, EVT_1)).isFalse();
            assertThat(sql.fetchCount(PROCESSED_EVENTS)).isZero();
            return first;
        });

        assertThat(recorded).isTrue();
        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isEqualTo(1);
        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isFalse();
    }

    @Test
    void anEntryRecordedInARolledBackUnitOfWorkIsGoneAndTheEventCountsAgain() {
        RuntimeException failure = new RuntimeException("applying the event failed");

        assertThatThrownBy(() -> unitOfWork.run(() -> {
            assertThat(ledger.recordOnce(STRIPE, EVT_1)).isTrue();
            throw failure;
        })).isSameAs(failure);

        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isZero();
        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isTrue();
    }

    @Test
    void aFailureAfterTheLedgerEntryAndTheCatalogChangeUndoesBoth() {
        Customer ada = registered("Ada", "ada@example.io");
        IllegalStateException failure = new IllegalStateException("fails after the entry and the change");

        assertThatThrownBy(() -> unitOfWork.run(() -> {
            assertThat(ledger.recordOnce(STRIPE, EVT_1)).isTrue();
            database.customerCatalog().add(ada);
            database.changeOutbox().append(ada, ChangeKind.CREATED, ChangeOrigin.from(STRIPE));
            database.externalLinks().recordEvent(ada.id(), STRIPE, new ExternalId("cus_1"), T0);
            database.externalLinks().markSynced(ada.id(), STRIPE, new ExternalId("cus_1"), ada.version(), T0);
            throw failure;
        })).isSameAs(failure);

        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isZero();
        assertThat(sql.fetchCount(CUSTOMERS)).isZero();
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isZero();
        assertThat(sql.fetchCount(EXTERNAL_LINKS)).isZero();
        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isTrue();
    }

    @Test
    void aSecondTransactionRecordingTheSameEventWaitsForTheFirstAndDoesNotCountOnceItCommits() throws Exception {
        CountDownLatch recorded = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<Boolean> first = threads.submit(() -> unitOfWork.inTransaction(() -> {
            boolean counted = ledger.recordOnce(STRIPE, EVT_1);
            recorded.countDown();
            awaitQuietly(commit);
            return counted;
        }));
        assertThat(recorded.await(10, TimeUnit.SECONDS)).isTrue();

        Future<Boolean> second = threads.submit(() -> unitOfWork.inTransaction(() -> ledger.recordOnce(STRIPE, EVT_1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledgerWritesWaitingForALock() == 1);
        commit.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isEqualTo(1);
    }

    @Test
    void aSecondTransactionRecordingTheSameEventCountsWhenTheFirstRollsBack() throws Exception {
        CountDownLatch recorded = new CountDownLatch(1);
        CountDownLatch rollBack = new CountDownLatch(1);
        Future<?> first = threads.submit(() -> unitOfWork.run(() -> {
            ledger.recordOnce(STRIPE, EVT_1);
            recorded.countDown();
            awaitQuietly(rollBack);
            throw new IllegalStateException("applying the event failed");
        }));
        assertThat(recorded.await(10, TimeUnit.SECONDS)).isTrue();

        Future<Boolean> second = threads.submit(() -> unitOfWork.inTransaction(() -> ledger.recordOnce(STRIPE, EVT_1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledgerWritesWaitingForALock() == 1);
        rollBack.countDown();

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("applying the event failed");
        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isEqualTo(1);
    }

    @Test
    void ofTransactionsRecordingTheSameEventAtOnceExactlyOneCounts() throws Exception {
        CyclicBarrier start = new CyclicBarrier(RACERS);
        List<Future<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            racers.add(threads.submit(() -> unitOfWork.inTransaction(() -> {
                awaitQuietly(start);
                return ledger.recordOnce(STRIPE, EVT_1);
            })));
        }

        List<Boolean> counted = new ArrayList<>();
        for (Future<Boolean> racer : racers) {
            counted.add(racer.get(20, TimeUnit.SECONDS));
        }

        assertThat(counted).containsOnlyOnce(true);
        assertThat(sql.fetchCount(PROCESSED_EVENTS)).isEqualTo(1);
    }

    private int ledgerWritesWaitingForALock() {
        return sql.fetchSingle("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'stripe-sync' AND wait_event_type = 'Lock'"
                + " AND query LIKE '%processed_events%'").get(0, Integer.class);
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

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("the racers never met", e);
        }
    }
}
