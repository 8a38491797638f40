package com.stripesync.persistence.link;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.registered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the contract cannot say about the PostgreSQL links: column sizes, the catalog's view, concurrency. */
@ExtendWith(PostgresExtension.class)
class PostgresExternalLinksTest {

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final ExternalId CUS_1 = new ExternalId("cus_1");

    private PostgresDatabase database;
    private CustomerCatalog catalog;
    private ExternalLinks links;
    private UnitOfWork unitOfWork;
    private DSLContext sql;
    private ExecutorService threads;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        database = PostgresDatabase.open(TestSettings.of(testDatabase));
        catalog = database.customerCatalog();
        links = database.externalLinks();
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
    void anErrorLongerThanTheColumnIsCutToItsSizeBetweenCharacters() {
        Customer ada = registered("Ada", null);
        catalog.add(ada);
        // Each emoji is two Java chars but one character to PostgreSQL.
        String error = "refused: " + "\uD83D\uDE00".repeat(3000);

        links.markFailed(ada.id(), STRIPE, ada.version(), error, T0);

        String recorded = links.find(ada.id(), STRIPE).orElseThrow().lastError();
        assertThat(recorded).isNotNull();
        assertThat(recorded.codePointCount(0, recorded.length())).isEqualTo(ExternalLinkRows.MAX_ERROR_LENGTH);
        assertThat(error).startsWith(recorded);
        assertThat(recorded).endsWith("\uD83D\uDE00");
    }

    @Test
    void theCatalogReturnsLinksWithTheirHandledVersion() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T0);
        ExternalLink expected = new ExternalLink(ada.id(), STRIPE, CUS_1, SyncStatus.SYNCED, T0, null, Version.FIRST, null);

        assertThat(catalog.find(ada.id()).orElseThrow().links()).containsEntry(STRIPE, expected);
        assertThat(catalog.list(PageRequest.first(10)).items().getFirst().links()).containsEntry(STRIPE, expected);
    }

    @Test
    void anOutcomeRacingANewerLocalChangeWaitsForItsCommitAndStaysPending() throws Exception {
        Customer ada = registered("Ada", null);
        catalog.add(ada);
        Customer renamed = ada.change(new CustomerName("Ada King"), null, T0.plusSeconds(1));
        CountDownLatch changed = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<?> localChange = threads.submit(() -> unitOfWork.run(() -> {
            catalog.replace(renamed);
            links.markPending(ada.id(), STRIPE, renamed.version());
            changed.countDown();
            awaitQuietly(commit);
        }));
        assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();

        // The worker's outcome for version 1 arrives while version 2 is being committed.
        Future<?> outcome = threads.submit(() -> links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T0));
        await().atMost(Duration.ofSeconds(10)).until(() -> linkWritesWaitingForALock() == 1);
        commit.countDown();
        localChange.get(10, TimeUnit.SECONDS);
        outcome.get(10, TimeUnit.SECONDS);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(new ExternalLink(ada.id(), STRIPE, CUS_1, SyncStatus.PENDING, T0, null, Version.FIRST, null));
    }

    @Test
    void anExternalIdClashInsideAUnitOfWorkLeavesItUsable() {
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io");
        catalog.add(ada);
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T0);

        unitOfWork.run(() -> {
            catalog.add(bob);
            assertThatThrownBy(() -> links.recordEvent(bob.id(), STRIPE, CUS_1, T0))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageContainingAll(ada.id().toString(), bob.id().toString());
            links.markPending(bob.id(), STRIPE, bob.version());
        });

        assertThat(catalog.currentVersion(bob.id())).contains(Version.FIRST);
        assertThat(links.find(bob.id(), STRIPE))
                .contains(new ExternalLink(bob.id(), STRIPE, null, SyncStatus.PENDING, null, null, null, null));
    }

    @Test
    void theLastEventTimeIsReturnedWithTheCustomer() {
        Customer ada = registered("Ada", null);
        catalog.add(ada);

        links.recordEvent(ada.id(), STRIPE, CUS_1, T0.plusNanos(789));

        assertThat(catalog.find(ada.id()).orElseThrow().links().get(STRIPE).lastEventAt()).isEqualTo(T0);
    }

    private int linkWritesWaitingForALock() {
        return sql.fetchSingle("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'stripe-sync' AND wait_event_type = 'Lock'"
                + " AND query LIKE '%external_links%'").get(0, Integer.class);
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
