package com.stripesync.persistence.customer;

import static com.stripesync.persistence.customer.Customers.T0;
import static com.stripesync.persistence.customer.Customers.insertLink;
import static com.stripesync.persistence.customer.Customers.pendingLink;
import static com.stripesync.persistence.customer.Customers.registered;
import static com.stripesync.persistence.customer.Customers.stripeLink;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.PageCursor;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.ThreadLocalTransactionProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class CustomerListingTest {

    /** PostgreSQL orders uuids byte by byte, which is the order of their lower-case hex text. */
    private static final Comparator<Customer> LISTING_ORDER =
            Comparator.comparing(Customer::createdAt).thenComparing(customer -> customer.id().toString());

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
    void emptyCatalogListsAnEmptyLastPage() {
        CustomerPage page = catalog.list(PageRequest.first(10));

        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void listsLiveCustomersByCreationTimeThenId() {
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            customers.add(registered("Customer " + i, "c" + i + "@x.io", T0.plusSeconds(i)));
        }
        // Same creation time: the id decides.
        for (int i = 0; i < 4; i++) {
            customers.add(registered("Twin " + i, "twin" + i + "@x.io", T0.plusSeconds(3)));
        }
        Collections.shuffle(customers, new Random(42));
        customers.forEach(catalog::add);
        Customer deleted = customers.removeFirst();
        catalog.replace(deleted.delete(T0.plusSeconds(100)));

        CustomerPage page = catalog.list(PageRequest.first(PageRequest.MAX_LIMIT));

        assertThat(customersOf(page)).containsExactlyElementsOf(customers.stream().sorted(LISTING_ORDER).toList());
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void pagesHoldAtMostTheLimitAndContinueAfterTheirLastCustomer() {
        List<Customer> customers = addCustomers(5, 0);

        CustomerPage first = catalog.list(PageRequest.first(2));
        CustomerPage second = catalog.list(new PageRequest(2, first.nextCursor().orElseThrow()));
        CustomerPage third = catalog.list(new PageRequest(2, second.nextCursor().orElseThrow()));

        assertThat(customersOf(first)).containsExactlyElementsOf(customers.subList(0, 2));
        assertThat(first.nextCursor()).contains(PageCursor.after(customers.get(1)));
        assertThat(customersOf(second)).containsExactlyElementsOf(customers.subList(2, 4));
        assertThat(customersOf(third)).containsExactly(customers.get(4));
        assertThat(third.nextCursor()).isEmpty();
    }

    @Test
    void exactlyFullLastPageHasNoNextCursor() {
        List<Customer> customers = addCustomers(4, 0);

        CustomerPage first = catalog.list(PageRequest.first(2));
        CustomerPage second = catalog.list(new PageRequest(2, first.nextCursor().orElseThrow()));

        assertThat(customersOf(second)).containsExactlyElementsOf(customers.subList(2, 4));
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void cursorSurvivesItsTokenForm() {
        List<Customer> customers = addCustomers(3, 0);
        String token = catalog.list(PageRequest.first(1)).nextCursor().orElseThrow().token();

        CustomerPage rest = catalog.list(new PageRequest(10, PageCursor.fromToken(token)));

        assertThat(customersOf(rest)).containsExactlyElementsOf(customers.subList(1, 3));
    }

    @Test
    void rowsInsertedBetweenPageFetchesNeverRepeatOrHideExistingRows() {
        List<Customer> existing = addCustomers(12, 0);
        List<CustomerId> listed = new ArrayList<>();
        PageRequest request = PageRequest.first(4);
        int inserted = 0;
        while (true) {
            CustomerPage page = catalog.list(request);
            page.items().forEach(item -> listed.add(item.customer().id()));
            // Newcomers before everything, among the rows already listed, among those still to come, after all.
            for (int offsetSeconds : new int[] {-3600, 1, 7, 3600}) {
                catalog.add(registered("Newcomer " + inserted, "new" + inserted + "@x.io",
                        T0.plusSeconds(offsetSeconds).plusMillis(500)));
                inserted++;
            }
            if (page.nextCursor().isEmpty()) {
                break;
            }
            request = new PageRequest(4, page.nextCursor().get());
        }

        Map<CustomerId, Long> timesListed = listed.stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(existing).allSatisfy(customer -> assertThat(timesListed.get(customer.id()))
                .as("times %s was listed", customer).isEqualTo(1L));
        assertThat(timesListed.values()).containsOnly(1L);
    }

    @Test
    void eachListedCustomerCarriesItsLinks() {
        List<Customer> customers = addCustomers(3, 0);
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
        List<Customer> customers = addCustomers(8, 0);
        customers.forEach(customer -> insertLink(sql, stripeLink(customer.id(), "cus_" + customer.id())));
        List<String> statements = new CopyOnWriteArrayList<>();
        ExecuteListener recorder = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext context) {
                statements.add(context.sql());
            }
        };
        CustomerCatalog recorded = new PostgresCustomerCatalog(DSL.using(new DefaultConfiguration()
                .set(new ThreadLocalTransactionProvider(new DataSourceConnectionProvider(testDatabase.dataSource())))
                .set(SQLDialect.POSTGRES).set(recorder)));

        CustomerPage page = recorded.list(PageRequest.first(8));

        assertThat(page.items()).hasSize(8).allSatisfy(item -> assertThat(item.links()).hasSize(1));
        assertThat(statements).filteredOn(statement -> statement.contains("external_links")).hasSize(1);
        assertThat(statements).hasSize(2);
    }

    /** Adds customers created one second apart, from {@code T0 + firstSecond}; returns them in listing order. */
    private List<Customer> addCustomers(int count, int firstSecond) {
        List<Customer> customers = IntStream.range(0, count)
                .mapToObj(i -> registered("Customer " + i, "customer" + (firstSecond + i) + "@x.io",
                        T0.plusSeconds(firstSecond + i)))
                .toList();
        customers.forEach(catalog::add);
        return customers;
    }

    private static List<Customer> customersOf(CustomerPage page) {
        return page.items().stream().map(LinkedCustomer::customer).toList();
    }
}
