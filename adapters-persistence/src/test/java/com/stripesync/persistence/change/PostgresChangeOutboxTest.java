package com.stripesync.persistence.change;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.jooq.Tables.CUSTOMER_CHANGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.application.sync.OutboxRelay;
import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.ChangePublishFailed;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.RecordedStatements;
import com.stripesync.persistence.TestSettings;
import com.stripesync.persistence.transaction.PostgresUnitOfWork;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresChangeOutboxTest {

    private static final SystemName STRIPE = new SystemName("stripe");

    private TestDatabase testDatabase;
    private PostgresDatabase database;
    private ChangeOutbox outbox;
    private UnitOfWork unitOfWork;
    private DSLContext sql;
    private ExecutorService threads;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        this.testDatabase = testDatabase;
        database = PostgresDatabase.open(TestSettings.of(testDatabase));
        outbox = database.changeOutbox();
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
    void appendedChangesAreLockedBackAsRecordedWithTheirSnapshots() {
        Customer ada = registered("Ada", "Ada@Example.io", T0.plusNanos(789));
        Customer renamed = ada.change(new CustomerName("Ada King"), null, T0.plusSeconds(1));
        Customer tombstone = renamed.delete(T0.plusSeconds(2));

        ChangeId created = outbox.append(ada, ChangeKind.CREATED, ChangeOrigin.LOCAL);
        ChangeId updated = outbox.append(renamed, ChangeKind.UPDATED, ChangeOrigin.from(STRIPE));
        ChangeId deleted = outbox.append(tombstone, ChangeKind.DELETED, ChangeOrigin.LOCAL);

        assertThat(List.of(created.value(), updated.value(), deleted.value())).isSorted().doesNotHaveDuplicates();
        assertThat(lockAll()).containsExactly(
                CustomerChange.of(created, ada, ChangeKind.CREATED, ChangeOrigin.LOCAL),
                CustomerChange.of(updated, renamed, ChangeKind.UPDATED, ChangeOrigin.from(STRIPE)),
                CustomerChange.of(deleted, tombstone, ChangeKind.DELETED, ChangeOrigin.LOCAL));
        assertThat(sql.fetchCount(CUSTOMER_CHANGES, CUSTOMER_CHANGES.RECORDED_AT.isNotNull()
                .and(CUSTOMER_CHANGES.PUBLISHED_AT.isNull()))).isEqualTo(3);
    }

    @Test
    void theOldestUnpublishedChangesAreLockedFirstUpToTheLimit() {
        List<ChangeId> ids = appendChanges(5);

        List<ChangeId> locked = unitOfWork.inTransaction(() -> idsOf(outbox.lockNextUnpublished(3)));

        assertThat(locked).containsExactlyElementsOf(ids.subList(0, 3));
    }

    @Test
    void twoRelaysHoldingTheirUnitsOfWorkOpenLockDisjointBatches() throws Exception {
        List<ChangeId> ids = appendChanges(5);
        CountDownLatch firstLocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<List<ChangeId>> first = threads.submit(() -> unitOfWork.inTransaction(() -> {
            List<ChangeId> batch = idsOf(outbox.lockNextUnpublished(2));
            firstLocked.countDown();
            awaitQuietly(release);
            return batch;
        }));
        assertThat(firstLocked.await(10, TimeUnit.SECONDS)).isTrue();

        // Answers while the first relay still holds its locks: skipped, not waited for.
        List<ChangeId> second = threads.submit(() -> unitOfWork.inTransaction(() -> idsOf(outbox.lockNextUnpublished(2))))
                .get(10, TimeUnit.SECONDS);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(ids.get(0), ids.get(1));
        assertThat(second).containsExactly(ids.get(2), ids.get(3));
    }

    @Test
    void publishedChangesAreNotLockedAgain() {
        List<ChangeId> ids = appendChanges(3);
        List<List<ChangeId>> published = new CopyOnWriteArrayList<>();
        OutboxRelay relay = new OutboxRelay(outbox, batch -> published.add(idsOf(batch)), unitOfWork, 2);

        assertThat(relay.relayNextBatch()).isEqualTo(2);
        assertThat(relay.relayNextBatch()).isEqualTo(1);
        assertThat(relay.relayNextBatch()).isZero();

        assertThat(published).containsExactly(ids.subList(0, 2), ids.subList(2, 3));
        assertThat(lockAll()).isEmpty();
        assertThat(sql.fetchCount(CUSTOMER_CHANGES, CUSTOMER_CHANGES.PUBLISHED_AT.isNotNull())).isEqualTo(3);
    }

    @Test
    void aRelayWhosePublishingFailsLeavesItsBatchUnpublished() {
        List<ChangeId> ids = appendChanges(3);
        ChangePublishFailed failure = new ChangePublishFailed("the log did not answer", new RuntimeException());
        OutboxRelay failing = new OutboxRelay(outbox, batch -> {
            throw failure;
        }, unitOfWork, 2);

        assertThatThrownBy(failing::relayNextBatch).isSameAs(failure);

        assertThat(idsOf(lockAll())).containsExactlyElementsOf(ids);
        assertThat(sql.fetchCount(CUSTOMER_CHANGES, CUSTOMER_CHANGES.PUBLISHED_AT.isNotNull())).isZero();
    }

    @Test
    void lockingOutsideAUnitOfWorkFailsClearly() {
        appendChanges(1);

        assertThatThrownBy(() -> outbox.lockNextUnpublished(10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a unit of work");
    }

    @Test
    void markingChangesPublishedKeepsTheTimeOfTheFirstMark() {
        List<ChangeId> ids = appendChanges(2);
        unitOfWork.run(() -> outbox.markPublished(ids.subList(0, 1)));
        var firstMark = sql.select(CUSTOMER_CHANGES.PUBLISHED_AT).from(CUSTOMER_CHANGES)
                .where(CUSTOMER_CHANGES.ID.eq(ids.getFirst().value())).fetchSingle().value1();

        unitOfWork.run(() -> outbox.markPublished(ids));
        unitOfWork.run(() -> outbox.markPublished(List.of()));

        assertThat(sql.select(CUSTOMER_CHANGES.PUBLISHED_AT).from(CUSTOMER_CHANGES)
                .where(CUSTOMER_CHANGES.ID.eq(ids.getFirst().value())).fetchSingle().value1()).isEqualTo(firstMark);
        assertThat(lockAll()).isEmpty();
    }

    @Test
    void markingOneChangeOrManyRunsTheSameStatement() {
        List<String> statements = new CopyOnWriteArrayList<>();
        DSLContext recorded = RecordedStatements.threadBoundContext(testDatabase.dataSource(), statements);
        ChangeOutbox recordedOutbox = new PostgresChangeOutbox(recorded);
        UnitOfWork recordedUnitOfWork = new PostgresUnitOfWork(recorded);
        List<ChangeId> ids = appendChanges(5);

        recordedUnitOfWork.run(() -> recordedOutbox.markPublished(ids.subList(0, 1)));
        recordedUnitOfWork.run(() -> recordedOutbox.markPublished(ids.subList(1, 5)));

        // The ids are one array bind: no statement text (nor plan) per batch size.
        assertThat(statements).hasSize(2).noneMatch(statement -> statement.contains(" in ("))
                .allMatch(statements.getFirst()::equals);
        assertThat(lockAll()).isEmpty();
    }

    private List<ChangeId> appendChanges(int count) {
        List<ChangeId> ids = new ArrayList<>();
        IntStream.range(0, count).forEach(i -> ids.add(outbox.append(
                registered("Customer " + i, "customer" + i + "@x.io"), ChangeKind.CREATED, ChangeOrigin.LOCAL)));
        return ids;
    }

    private List<CustomerChange> lockAll() {
        return unitOfWork.inTransaction(() -> outbox.lockNextUnpublished(100));
    }

    private static List<ChangeId> idsOf(List<CustomerChange> changes) {
        return changes.stream().map(CustomerChange::id).toList();
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
