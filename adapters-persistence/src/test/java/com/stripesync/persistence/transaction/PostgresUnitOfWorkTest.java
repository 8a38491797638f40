package com.stripesync.persistence.transaction;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static com.stripesync.persistence.jooq.Tables.CUSTOMER_CHANGES;
import static com.stripesync.persistence.jooq.Tables.EXTERNAL_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stores of one database join the unit of work of the calling thread: all of it commits, or none. */
@ExtendWith(PostgresExtension.class)
class PostgresUnitOfWorkTest {

    private static final SystemName STRIPE = new SystemName("stripe");

    private PostgresDatabase database;
    private UnitOfWork unitOfWork;
    private CustomerCatalog catalog;
    private ChangeOutbox outbox;
    private ExternalLinks links;
    /** Another connection: sees only what was committed. */
    private DSLContext sql;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        database = PostgresDatabase.open(TestSettings.of(testDatabase));
        unitOfWork = database.unitOfWork();
        catalog = database.customerCatalog();
        outbox = database.changeOutbox();
        links = database.externalLinks();
        sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aCustomerItsChangeAndItsPendingMarkCommitTogether() {
        Customer ada = registered("Ada", "ada@example.io");

        ChangeId change = unitOfWork.inTransaction(() -> {
            catalog.add(ada);
            ChangeId appended = outbox.append(ada, ChangeKind.CREATED, ChangeOrigin.LOCAL);
            links.markPending(ada.id(), STRIPE, ada.version());
            // Inside: the unit of work sees its own writes; outside, nobody does before the commit.
            assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(ada);
            assertThat(sql.fetchCount(CUSTOMERS) + sql.fetchCount(CUSTOMER_CHANGES) + sql.fetchCount(EXTERNAL_LINKS))
                    .isZero();
            return appended;
        });

        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(ada);
        assertThat(unpublishedChanges()).containsExactly(CustomerChange.of(change, ada, ChangeKind.CREATED, ChangeOrigin.LOCAL));
        assertThat(links.find(ada.id(), STRIPE))
                .contains(new ExternalLink(ada.id(), STRIPE, null, SyncStatus.PENDING, null, null, null, null));
    }

    @Test
    void aFailureAfterTheWritesUndoesAllOfThemAndComesOutAsThrown() {
        Customer ada = registered("Ada", "ada@example.io");
        IllegalStateException failure = new IllegalStateException("the work fails after its writes");

        assertThatThrownBy(() -> unitOfWork.run(() -> {
            catalog.add(ada);
            outbox.append(ada, ChangeKind.CREATED, ChangeOrigin.LOCAL);
            links.markPending(ada.id(), STRIPE, ada.version());
            throw failure;
        })).isSameAs(failure);

        assertThat(catalog.currentVersion(ada.id())).isEmpty();
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isZero();
        assertThat(sql.fetchCount(EXTERNAL_LINKS)).isZero();
    }

    @Test
    void afterAFailedUnitOfWorkTheThreadsNextCallsCommitOnTheirOwn() {
        assertThatThrownBy(() -> unitOfWork.run(() -> {
            catalog.add(registered("Ada", "ada@example.io"));
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        Customer bob = registered("Bob", "bob@example.io");

        catalog.add(bob);
        outbox.append(bob, ChangeKind.CREATED, ChangeOrigin.LOCAL);

        assertThat(sql.fetchCount(CUSTOMERS)).isEqualTo(1);
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isEqualTo(1);
    }

    @Test
    void aReplaceInsideAFailedUnitOfWorkIsUndoneWithIt() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer renamed = ada.change(new CustomerName("Ada King"), null, T0.plusSeconds(1));
        RuntimeException failure = new RuntimeException("publishing the change failed");

        // The catalog's own transaction inside replace nests in the unit of work instead of committing.
        assertThatThrownBy(() -> unitOfWork.run(() -> {
            catalog.replace(renamed);
            outbox.append(renamed, ChangeKind.UPDATED, ChangeOrigin.LOCAL);
            assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(renamed);
            throw failure;
        })).isSameAs(failure);

        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(ada);
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isZero();
    }

    @Test
    void anEmailAlreadyInUseComesOutUnwrappedAndUndoesTheEarlierWrites() {
        catalog.add(registered("Ada", "ada@example.io"));
        Customer bob = registered("Bob", "bob@example.io");
        Customer impostor = registered("Impostor", "ADA@example.io");

        assertThatThrownBy(() -> unitOfWork.run(() -> {
            catalog.add(bob);
            outbox.append(bob, ChangeKind.CREATED, ChangeOrigin.LOCAL);
            catalog.add(impostor);
        })).isExactlyInstanceOf(EmailAlreadyInUse.class);

        assertThat(catalog.currentVersion(bob.id())).isEmpty();
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isZero();
    }

    @Test
    void aStaleVersionComesOutUnwrappedAndUndoesTheEarlierWrites() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        catalog.replace(ada.change(new CustomerName("Ada King"), null, T0.plusSeconds(1)));
        Customer basedOnFirst = ada.change(new CustomerName("Ada Byron"), null, T0.plusSeconds(2));

        assertThatThrownBy(() -> unitOfWork.run(() -> {
            links.markPending(ada.id(), STRIPE, basedOnFirst.version());
            catalog.replace(basedOnFirst);
        })).isInstanceOfSatisfying(StaleVersion.class,
                stale -> assertThat(stale.expected()).isEqualTo(Version.FIRST));

        assertThat(sql.fetchCount(EXTERNAL_LINKS)).isZero();
    }

    @Test
    void aNestedUnitOfWorkThatFailsUndoesOnlyItsOwnWrites() {
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io");
        RuntimeException failure = new RuntimeException("inner work fails");

        unitOfWork.run(() -> {
            catalog.add(ada);
            assertThatThrownBy(() -> unitOfWork.run(() -> {
                catalog.add(bob);
                throw failure;
            })).isSameAs(failure);
            outbox.append(ada, ChangeKind.CREATED, ChangeOrigin.LOCAL);
        });

        assertThat(catalog.currentVersion(ada.id())).contains(Version.FIRST);
        assertThat(catalog.currentVersion(bob.id())).isEmpty();
        assertThat(unpublishedChanges()).extracting(CustomerChange::customerId).containsExactly(ada.id());
    }

    @Test
    void storeCallsOutsideAUnitOfWorkCommitOnTheirOwn() {
        Customer ada = registered("Ada", "ada@example.io");

        catalog.add(ada);
        outbox.append(ada, ChangeKind.CREATED, ChangeOrigin.LOCAL);
        links.markPending(ada.id(), STRIPE, ada.version());

        assertThat(sql.fetchCount(CUSTOMERS)).isEqualTo(1);
        assertThat(sql.fetchCount(CUSTOMER_CHANGES)).isEqualTo(1);
        assertThat(sql.fetchCount(EXTERNAL_LINKS)).isEqualTo(1);
    }

    private List<CustomerChange> unpublishedChanges() {
        return unitOfWork.inTransaction(() -> outbox.lockNextUnpublished(100));
    }
}
