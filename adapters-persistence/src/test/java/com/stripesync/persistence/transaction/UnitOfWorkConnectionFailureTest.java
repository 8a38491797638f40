package com.stripesync.persistence.transaction;

import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.Customer;
import com.stripesync.persistence.DatabaseSettings;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.DedicatedPostgres;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.time.Duration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A database out of reach at any point of a unit of work is {@link CatalogUnavailable}, and costs no connection. */
@ExtendWith(PostgresExtension.class)
class UnitOfWorkConnectionFailureTest {

    private static final int POOL_SIZE = 2;

    @Test
    void connectionsLostJustBeforeTheCommitAreCatalogUnavailableAndGoBackToThePool(TestDatabase testDatabase) {
        DSLContext sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
        try (PostgresDatabase database = PostgresDatabase.open(TestSettings.of(testDatabase, POOL_SIZE))) {
            // More lost connections than the pool holds: a connection kept by a failed commit would starve the rest.
            for (int attempt = 0; attempt <= POOL_SIZE; attempt++) {
                Customer lost = registered("Lost " + attempt, null);
                assertThatThrownBy(() -> database.unitOfWork().run(() -> {
                    database.customerCatalog().add(lost);
                    terminateBackendsInTransaction(sql);
                })).isInstanceOf(CatalogUnavailable.class);
            }
            Customer kept = registered("Kept", null);

            database.unitOfWork().run(() -> database.customerCatalog().add(kept));

            assertThat(sql.fetch(CUSTOMERS).getValues(CUSTOMERS.ID)).containsExactly(kept.id().value());
        }
    }

    @Test
    void aConnectionLostInTheMiddleOfAUnitOfWorkIsCatalogUnavailable(TestDatabase testDatabase) {
        DSLContext sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
        try (PostgresDatabase database = PostgresDatabase.open(TestSettings.of(testDatabase, POOL_SIZE))) {
            Customer lost = registered("Lost", null);

            assertThatThrownBy(() -> database.unitOfWork().run(() -> {
                database.customerCatalog().add(lost);
                terminateBackendsInTransaction(sql);
                database.changeOutbox().append(lost, ChangeKind.CREATED, ChangeOrigin.LOCAL);
            })).isInstanceOf(CatalogUnavailable.class);

            assertThat(database.customerCatalog().currentVersion(lost.id())).isEmpty();
        }
    }

    @Test
    void aUnitOfWorkWhileTheServerIsDownIsCatalogUnavailableWithinTheConnectTimeoutAndWorksOnceItIsBack() {
        Duration connectTimeout = Duration.ofSeconds(2);
        try (DedicatedPostgres postgres = DedicatedPostgres.start();
             PostgresDatabase database = PostgresDatabase.open(new DatabaseSettings(postgres.database().jdbcUrl(),
                     postgres.database().user(), postgres.database().password(), POOL_SIZE, connectTimeout))) {
            Customer ada = registered("Ada", null);
            postgres.stop();

            // The first attempts may meet the pooled connections the stop broke (those fail at once); the last
            // finds the pool empty and waits for a connection once: not again for jOOQ's roll-back (3x the timeout).
            for (int attempt = 0; attempt <= POOL_SIZE; attempt++) {
                assertTimeoutPreemptively(connectTimeout.multipliedBy(7).dividedBy(4), () -> assertThatThrownBy(
                        () -> database.unitOfWork().run(() -> database.customerCatalog().add(ada)))
                        .isInstanceOf(CatalogUnavailable.class), "attempt " + attempt);
            }

            postgres.restart();

            // Pooled connections from before the stop fail once each on their first use, then are replaced.
            await().atMost(Duration.ofSeconds(15)).ignoreException(CatalogUnavailable.class).until(() -> {
                database.unitOfWork().run(() -> database.customerCatalog().add(ada));
                return true;
            });
            assertThat(database.customerCatalog().currentVersion(ada.id())).isPresent();
        }
    }

    /** Ends the service's connections that are inside a transaction, as a failover or a network cut would. */
    private static void terminateBackendsInTransaction(DSLContext sql) {
        assertThat(sql.fetch("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND application_name = 'stripe-sync'"
                + " AND state = 'idle in transaction'").getValues(0, Boolean.class)).containsExactly(true);
    }
}
