package com.stripesync.persistence.customer;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.insertLink;
import static com.stripesync.persistence.customer.Customers.pendingLink;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.customer.Customers.stripeLink;
import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresCustomerCatalogTest {

    private PostgresDatabase database;
    private CustomerCatalog catalog;
    private DSLContext sql;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        database = PostgresDatabase.open(TestSettings.of(testDatabase));
        catalog = database.customerCatalog();
        sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void addedCustomerIsFoundEqualWithMicrosecondTimestamps() {
        Customer ada = registered("Ada Lovelace", "ada@example.io", T0.plusNanos(789));

        catalog.add(ada);

        Customer found = catalog.find(ada.id()).orElseThrow().customer();
        assertThat(found).isEqualTo(ada);
        assertThat(found.createdAt()).isEqualTo(T0).isNotEqualTo(T0.truncatedTo(ChronoUnit.MILLIS));
        assertThat(found.updatedAt()).isEqualTo(T0);
        assertThat(found.name()).isEqualTo(new CustomerName("Ada Lovelace"));
        assertThat(found.email()).contains(new Email("ada@example.io"));
        assertThat(found.version()).isEqualTo(Version.FIRST);
        assertThat(found.deletedAt()).isEmpty();
    }

    @Test
    void customerWithoutEmailRoundTrips() {
        Customer imported = registered("Imported Ltd", null);

        catalog.add(imported);

        assertThat(catalog.find(imported.id())).map(LinkedCustomer::customer).contains(imported);
    }

    @Test
    void customersWithoutEmailNeverConflict() {
        catalog.add(registered("First", null));
        catalog.add(registered("Second", null));

        assertThat(sql.fetchCount(CUSTOMERS)).isEqualTo(2);
    }

    @Test
    void unknownIdIsNotFound() {
        assertThat(catalog.find(CustomerId.generate())).isEmpty();
    }

    @Test
    void findIgnoresDeletedCustomer() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);

        catalog.replace(ada.delete(T0.plusSeconds(1)));

        assertThat(catalog.find(ada.id())).isEmpty();
    }

    @Test
    void deletionKeepsATombstoneRow() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer tombstone = ada.delete(T0.plusSeconds(1));

        catalog.replace(tombstone);

        var row = sql.selectFrom(CUSTOMERS).where(CUSTOMERS.ID.eq(ada.id().value())).fetchSingle();
        assertThat(row.getDeletedAt().toInstant()).isEqualTo(T0.plusSeconds(1));
        assertThat(row.getVersion()).isEqualTo(2);
    }

    @Test
    void findByEmailIgnoresCase() {
        Customer ada = registered("Ada", "Ada@Example.io");
        catalog.add(ada);

        assertThat(catalog.findByEmail(new Email("aDA@eXAMPLE.IO"))).map(LinkedCustomer::customer).contains(ada);
        assertThat(catalog.findByEmail(new Email("bob@example.io"))).isEmpty();
    }

    @Test
    void findByEmailIgnoresDeletedCustomer() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        catalog.replace(ada.delete(T0.plusSeconds(1)));

        assertThat(catalog.findByEmail(new Email("ada@example.io"))).isEmpty();
    }

    @Test
    void emailIsUniqueAmongLiveCustomersIgnoringCase() {
        Customer first = registered("First", "A@x.io");
        catalog.add(first);

        assertThatThrownBy(() -> catalog.add(registered("Second", "a@X.io")))
                .isInstanceOf(EmailAlreadyInUse.class)
                .extracting(e -> ((EmailAlreadyInUse) e).email())
                .isEqualTo(new Email("a@X.io"));
        assertThat(sql.fetchCount(CUSTOMERS)).isEqualTo(1);
    }

    @Test
    void deletedCustomersEmailCanBeReusedAtOnce() {
        Customer first = registered("First", "a@x.io");
        catalog.add(first);
        catalog.replace(first.delete(T0.plusSeconds(1)));

        Customer second = registered("Second", "A@X.io");
        catalog.add(second);

        assertThat(catalog.findByEmail(new Email("a@x.io"))).map(LinkedCustomer::customer).contains(second);
    }

    @Test
    void replaceStoresTheNextVersion() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer renamed = ada.change(new CustomerName("Ada King"), new Email("ada.king@example.io"), T0.plusSeconds(5));

        catalog.replace(renamed);

        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(renamed);
        assertThat(renamed.version()).isEqualTo(new Version(2));
    }

    @Test
    void replaceBasedOnAnOlderVersionIsStaleAndChangesNothing() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer winner = ada.change(new CustomerName("Winner"), null, T0.plusSeconds(1));
        Customer loser = ada.change(new CustomerName("Loser"), null, T0.plusSeconds(2));
        catalog.replace(winner);

        assertThatThrownBy(() -> catalog.replace(loser))
                .isInstanceOfSatisfying(StaleVersion.class, e -> {
                    assertThat(e.id()).isEqualTo(ada.id());
                    assertThat(e.expected()).isEqualTo(Version.FIRST);
                });
        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(winner);
    }

    @Test
    void replaceOfUnknownCustomerIsNotFound() {
        Customer never = registered("Never stored", "never@example.io");

        assertThatThrownBy(() -> catalog.replace(never.change(new CustomerName("Still never"), null, T0)))
                .isInstanceOf(CustomerNotFound.class);
        assertThat(sql.fetchCount(CUSTOMERS)).isZero();
    }

    @Test
    void replaceOfDeletedCustomerIsNotFound() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer renamed = ada.change(new CustomerName("Ada King"), null, T0.plusSeconds(1));
        Customer tombstone = renamed.delete(T0.plusSeconds(2));
        catalog.replace(renamed);
        catalog.replace(tombstone);

        // Even at the right version: a tombstone is never revived.
        Customer revived = Customer.restore(ada.id(), ada.name(), null, new Version(4), T0, T0.plusSeconds(3), null);
        assertThatThrownBy(() -> catalog.replace(revived)).isInstanceOf(CustomerNotFound.class);
    }

    @Test
    void replaceTakingAnotherLiveCustomersEmailIsRefused() {
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io");
        catalog.add(ada);
        catalog.add(bob);

        assertThatThrownBy(() -> catalog.replace(bob.change(bob.name(), new Email("ADA@example.io"), T0.plusSeconds(1))))
                .isInstanceOf(EmailAlreadyInUse.class);
        assertThat(catalog.find(bob.id())).map(LinkedCustomer::customer).contains(bob);
    }

    @Test
    void customerMayChangeTheCaseOfItsOwnEmail() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer recased = ada.change(ada.name(), new Email("Ada@Example.io"), T0.plusSeconds(1));

        catalog.replace(recased);

        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(recased);
    }

    @Test
    void findReturnsTheCustomersLinksBySystem() {
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io");
        catalog.add(ada);
        catalog.add(bob);
        ExternalLink stripe = stripeLink(ada.id(), "cus_ada");
        ExternalLink crm = pendingLink(ada.id(), "salesforce", "rate limited");
        insertLink(sql, stripe);
        insertLink(sql, crm);
        insertLink(sql, stripeLink(bob.id(), "cus_bob"));

        LinkedCustomer found = catalog.find(ada.id()).orElseThrow();

        assertThat(found.links()).isEqualTo(Map.of(new SystemName("stripe"), stripe, new SystemName("salesforce"), crm));
        assertThat(catalog.findByEmail(new Email("ada@example.io"))).map(LinkedCustomer::links).contains(found.links());
        assertThat(catalog.find(bob.id()).orElseThrow().links()).containsOnlyKeys(new SystemName("stripe"));
    }

    @Test
    void customerWithoutLinksHasNone() {
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);

        assertThat(catalog.find(ada.id()).orElseThrow().links()).isEmpty();
    }

    @Test
    void replaceRefusesAFirstVersion() {
        assertThatThrownBy(() -> catalog.replace(registered("Ada", "ada@example.io")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
