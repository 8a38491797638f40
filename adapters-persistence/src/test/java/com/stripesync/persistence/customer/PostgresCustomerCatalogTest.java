package com.stripesync.persistence.customer;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.insertLink;
import static com.stripesync.persistence.customer.Customers.pendingLink;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.customer.Customers.stripeLink;
import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the rows hold; the catalog's behaviour is in {@link PostgresCustomerCatalogContractTest}. */
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
}
