package com.stripesync.persistence.customer;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.insertLink;
import static com.stripesync.persistence.customer.Customers.pendingLink;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.customer.Customers.stripeLink;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.RecordedStatements;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How a listing loads the links from their table; the listing itself is in the contract test. */
@ExtendWith(PostgresExtension.class)
class CustomerListingTest {

    private TestDatabase testDatabase;
    private PostgresDatabase database;
    private CustomerCatalog catalog;
    private DSLContext sql;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        this.testDatabase = testDatabase;
        database = PostgresDatabase.open(TestSettings.of(testDatabase));
        catalog = database.customerCatalog();
        sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void eachListedCustomerCarriesItsLinks() {
        List<Customer> customers = addCustomers(3);
        ExternalLink adaStripe = stripeLink(customers.get(0).id(), "cus_0");
        ExternalLink adaCrm = pendingLink(customers.get(0).id(), "salesforce", "timeout");
        ExternalLink thirdStripe = stripeLink(customers.get(2).id(), "cus_2");
        insertLink(sql, adaStripe);
        insertLink(sql, adaCrm);
        insertLink(sql, thirdStripe);

        List<LinkedCustomer> items = catalog.list(PageRequest.first(10)).items();

        assertThat(items).extracting(LinkedCustomer::links).containsExactly(
                Map.of(new SystemName("stripe"), adaStripe, new SystemName("salesforce"), adaCrm),
                Map.of(),
                Map.of(new SystemName("stripe"), thirdStripe));
    }

    @Test
    void aPageLoadsTheLinksOfAllItsCustomersInOneQuery() {
        List<Customer> customers = addCustomers(8);
        customers.forEach(customer -> insertLink(sql, stripeLink(customer.id(), "cus_" + customer.id())));
        List<String> statements = new CopyOnWriteArrayList<>();
        CustomerCatalog recorded = new PostgresCustomerCatalog(
                RecordedStatements.threadBoundContext(testDatabase.dataSource(), statements));

        CustomerPage page = recorded.list(PageRequest.first(8));

        assertThat(page.items()).hasSize(8).allSatisfy(item -> assertThat(item.links()).hasSize(1));
        assertThat(statements).filteredOn(statement -> statement.contains("external_links")).hasSize(1);
        assertThat(statements).hasSize(2);

        recorded.list(PageRequest.first(3));
        List<String> linkStatements = statements.stream()
                .filter(statement -> statement.contains("external_links")).toList();
        assertThat(linkStatements).as("the same text for pages of 8 and 3: the ids are one array bind").hasSize(2)
                .noneMatch(statement -> statement.contains(" in (")).allMatch(linkStatements.getFirst()::equals);
    }

    /** Adds customers created one second apart from {@code T0}; returns them in listing order. */
    private List<Customer> addCustomers(int count) {
        List<Customer> customers = IntStream.range(0, count)
                .mapToObj(i -> registered("Customer " + i, "customer" + i + "@x.io", T0.plusSeconds(i)))
                .toList();
        customers.forEach(catalog::add);
        return customers;
    }
}
