package com.stripesync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.PageCursor;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CustomerCatalog} adapter shares. Extend it once per adapter: {@link #catalog()}
 * hands over an empty catalog and {@link #links()} the links over the same store.
 *
 * <p>The rules: a customer is read back as it was written, with its links; email is unique among live
 * customers ignoring case, and a deleted customer's email is free at once; a replacement must be based on the
 * stored version (else {@link StaleVersion}) of a live customer (else {@link CustomerNotFound}); a deleted
 * customer is kept (its version still known) but never found or listed; the listing runs by creation time,
 * then id compared as PostgreSQL compares uuids (unsigned, byte by byte), and a cursor resumes right after
 * the customer it names, whatever was added or deleted meanwhile.
 */
public abstract class CustomerCatalogContract {

    /** Sub-millisecond digits, so that a store that keeps less precision than a microsecond shows. */
    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.123456Z");

    /** An empty catalog; called at the start of each test. */
    protected abstract CustomerCatalog catalog();

    /** The links over the store of {@link #catalog()}. */
    protected abstract ExternalLinks links();

    @Test
    void anAddedCustomerIsFoundEqualAndWithoutLinks() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada Lovelace", "ada@example.io", T0.plusNanos(789));

        catalog.add(ada);

        LinkedCustomer found = catalog.find(ada.id()).orElseThrow();
        assertThat(found.customer()).isEqualTo(ada);
        assertThat(found.customer().createdAt()).isEqualTo(T0);
        assertThat(found.links()).isEmpty();
        assertThat(catalog.currentVersion(ada.id())).contains(Version.FIRST);
    }

    @Test
    void customersWithoutEmailAreStoredAndNeverConflict() {
        CustomerCatalog catalog = catalog();
        Customer first = registered("First", null);
        Customer second = registered("Second", null);

        catalog.add(first);
        catalog.add(second);

        assertThat(catalog.find(first.id())).map(LinkedCustomer::customer).contains(first);
        assertThat(catalog.find(second.id())).map(LinkedCustomer::customer).contains(second);
    }

    @Test
    void addingAnIdAlreadyStoredIsRefusedAndChangesNothing() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer sameId = Customer.restore(ada.id(), new CustomerName("Impostor"), new Email("impostor@example.io"),
                Version.FIRST, T0.plusSeconds(1), T0.plusSeconds(1), null);

        // The kind of failure is the adapter's own (a programming error, not a domain outcome).
        assertThatThrownBy(() -> catalog.add(sameId)).isNotInstanceOf(EmailAlreadyInUse.class);
        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(ada);
        assertThat(catalog.findByEmail(new Email("impostor@example.io"))).isEmpty();
    }

    @Test
    void anUnknownIdIsNeitherFoundNorVersioned() {
        CustomerCatalog catalog = catalog();

        assertThat(catalog.find(CustomerId.generate())).isEmpty();
        assertThat(catalog.currentVersion(CustomerId.generate())).isEmpty();
    }

    @Test
    void findByEmailIgnoresCase() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "Ada@Example.io");
        catalog.add(ada);
        catalog.add(registered("Bob", "bob@example.io"));

        assertThat(catalog.findByEmail(new Email("aDA@eXAMPLE.IO"))).map(LinkedCustomer::customer).contains(ada);
        assertThat(catalog.findByEmail(new Email("carol@example.io"))).isEmpty();
    }

    @Test
    void anEmailALiveCustomerHasIsRefusedIgnoringCaseAndNothingIsAdded() {
        CustomerCatalog catalog = catalog();
        Customer first = registered("First", "A@x.io");
        catalog.add(first);
        Customer second = registered("Second", "a@X.io");

        assertThatThrownBy(() -> catalog.add(second))
                .isInstanceOfSatisfying(EmailAlreadyInUse.class,
                        e -> assertThat(e.email()).isEqualTo(new Email("a@X.io")));
        assertThat(catalog.find(second.id())).isEmpty();
        assertThat(catalog.currentVersion(second.id())).isEmpty();
        assertThat(listAll(catalog, 10)).containsExactly(first);
    }

    @Test
    void aDeletedCustomersEmailIsReusableAtOnce() {
        CustomerCatalog catalog = catalog();
        Customer first = registered("First", "a@x.io");
        catalog.add(first);
        catalog.replace(first.delete(T0.plusSeconds(1)));

        Customer second = registered("Second", "A@X.io");
        catalog.add(second);

        assertThat(catalog.findByEmail(new Email("a@x.io"))).map(LinkedCustomer::customer).contains(second);
    }

    @Test
    void aDeletedCustomersEmailMayBeTakenByAChange() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io");
        catalog.add(ada);
        catalog.add(bob);
        catalog.replace(ada.delete(T0.plusSeconds(1)));

        Customer renamed = bob.change(bob.name(), new Email("ADA@example.io"), T0.plusSeconds(2));
        catalog.replace(renamed);

        assertThat(catalog.findByEmail(new Email("ada@example.io"))).map(LinkedCustomer::customer).contains(renamed);
    }

    @Test
    void aReplacementStoresTheNextVersion() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer renamed = ada.change(new CustomerName("Ada King"), new Email("ada.king@example.io"), T0.plusSeconds(5));

        catalog.replace(renamed);

        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(renamed);
        assertThat(catalog.currentVersion(ada.id())).contains(new Version(2));
        assertThat(catalog.findByEmail(new Email("ada.king@example.io"))).map(LinkedCustomer::customer).contains(renamed);
        assertThat(catalog.findByEmail(new Email("ada@example.io"))).isEmpty();
    }

    @Test
    void aReplacementBasedOnAnOlderVersionIsStaleAndChangesNothing() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer winner = ada.change(new CustomerName("Winner"), null, T0.plusSeconds(1));
        Customer loser = ada.change(new CustomerName("Loser"), new Email("loser@example.io"), T0.plusSeconds(2));
        catalog.replace(winner);

        assertThatThrownBy(() -> catalog.replace(loser))
                .isInstanceOfSatisfying(StaleVersion.class, e -> {
                    assertThat(e.id()).isEqualTo(ada.id());
                    assertThat(e.expected()).isEqualTo(Version.FIRST);
                });
        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(winner);
        assertThat(catalog.findByEmail(new Email("loser@example.io"))).isEmpty();
    }

    @Test
    void aReplacementAheadOfTheStoredVersionIsStale() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer third = ada.change(new CustomerName("Ada King"), null, T0.plusSeconds(1))
                .change(new CustomerName("Ada Byron"), null, T0.plusSeconds(2));

        assertThatThrownBy(() -> catalog.replace(third))
                .isInstanceOfSatisfying(StaleVersion.class, e -> assertThat(e.expected()).isEqualTo(new Version(2)));
        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(ada);
    }

    @Test
    void aStaleReplacementIsStaleEvenWhenItsEmailIsTaken() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io");
        catalog.add(ada);
        catalog.add(bob);
        catalog.replace(bob.change(new CustomerName("Bob Jr"), bob.email().orElseThrow(), T0.plusSeconds(1)));

        Customer staleClash = bob.change(bob.name(), new Email("ada@example.io"), T0.plusSeconds(2));

        assertThatThrownBy(() -> catalog.replace(staleClash)).isInstanceOf(StaleVersion.class);
    }

    @Test
    void takingAnotherLiveCustomersEmailIsRefusedIgnoringCaseAndChangesNothing() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io");
        catalog.add(ada);
        catalog.add(bob);

        assertThatThrownBy(() -> catalog.replace(bob.change(bob.name(), new Email("ADA@example.io"), T0.plusSeconds(1))))
                .isInstanceOfSatisfying(EmailAlreadyInUse.class,
                        e -> assertThat(e.email()).isEqualTo(new Email("ADA@example.io")));
        assertThat(catalog.find(bob.id())).map(LinkedCustomer::customer).contains(bob);
        assertThat(catalog.currentVersion(bob.id())).contains(Version.FIRST);
    }

    @Test
    void aCustomerMayChangeTheCaseOfItsOwnEmail() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        Customer recased = ada.change(ada.name(), new Email("Ada@Example.io"), T0.plusSeconds(1));

        catalog.replace(recased);

        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(recased);
    }

    @Test
    void replacingAnUnknownCustomerIsNotFound() {
        CustomerCatalog catalog = catalog();
        Customer never = registered("Never stored", "never@example.io");

        assertThatThrownBy(() -> catalog.replace(never.change(new CustomerName("Still never"), null, T0)))
                .isInstanceOf(CustomerNotFound.class);
        assertThat(catalog.currentVersion(never.id())).isEmpty();
    }

    @Test
    void aDeletedCustomerIsNeverRevivedEvenAtTheNextVersion() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);
        catalog.replace(ada.delete(T0.plusSeconds(1)));

        Customer revived = Customer.restore(ada.id(), ada.name(), ada.email().orElseThrow(), new Version(3), T0,
                T0.plusSeconds(2), null);

        assertThatThrownBy(() -> catalog.replace(revived)).isInstanceOf(CustomerNotFound.class);
        assertThat(catalog.find(ada.id())).isEmpty();
        assertThat(catalog.currentVersion(ada.id())).contains(new Version(2));
    }

    @Test
    void aReplacementIsNeverAFirstVersion() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        catalog.add(ada);

        assertThatThrownBy(() -> catalog.replace(ada)).isInstanceOf(IllegalArgumentException.class);
        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(ada);
    }

    @Test
    void aDeletedCustomerKeepsItsVersionButIsNeitherFoundNorListed() {
        CustomerCatalog catalog = catalog();
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io", T0.plusSeconds(1));
        catalog.add(ada);
        catalog.add(bob);

        catalog.replace(ada.delete(T0.plusSeconds(2)));

        assertThat(catalog.find(ada.id())).isEmpty();
        assertThat(catalog.findByEmail(new Email("ada@example.io"))).isEmpty();
        assertThat(catalog.currentVersion(ada.id())).contains(new Version(2));
        assertThat(listAll(catalog, 10)).containsExactly(bob);
    }

    @Test
    void aCustomerIsFoundAndListedWithItsLinks() {
        CustomerCatalog catalog = catalog();
        ExternalLinks links = links();
        Customer ada = registered("Ada", "ada@example.io");
        Customer bob = registered("Bob", "bob@example.io", T0.plusSeconds(1));
        catalog.add(ada);
        catalog.add(bob);
        SystemName stripe = new SystemName("stripe");
        links.markSynced(ada.id(), stripe, new ExternalId("cus_ada"), Version.FIRST, T0.plusSeconds(60));
        ExternalLink link = links.find(ada.id(), stripe).orElseThrow();

        assertThat(catalog.find(ada.id()).orElseThrow().links()).isEqualTo(Map.of(stripe, link));
        assertThat(catalog.findByEmail(new Email("ada@example.io")).orElseThrow().links()).isEqualTo(Map.of(stripe, link));
        assertThat(catalog.list(PageRequest.first(10)).items())
                .extracting(LinkedCustomer::links)
                .containsExactly(Map.of(stripe, link), Map.of());
    }

    @Test
    void anEmptyCatalogListsOneEmptyLastPage() {
        CustomerPage page = catalog().list(PageRequest.first(10));

        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void theListingFollowsCreationTimeThenIdComparedAsUnsignedBytesAcrossPages() {
        CustomerCatalog catalog = catalog();
        Instant same = T0.plusSeconds(5);
        List<Customer> expected = List.of(
                restored("00000000-0000-0000-0000-000000000001", T0),
                restored("10000000-0000-0000-0000-000000000000", same),
                restored("7fffffff-ffff-ffff-ffff-ffffffffffff", same),
                // negative as a signed long: UUID.compareTo would put it first
                restored("80000000-0000-0000-0000-000000000000", same),
                restored("ffffffff-ffff-ffff-ffff-ffffffffffff", same),
                restored("00000000-0000-0000-0000-000000000000", T0.plusSeconds(9)));
        expected.reversed().forEach(catalog::add);

        assertThat(listAll(catalog, 2)).containsExactlyElementsOf(expected);
    }

    @Test
    void pagesHoldAtMostTheLimitAndContinueRightAfterTheirLastCustomer() {
        CustomerCatalog catalog = catalog();
        List<Customer> customers = addCustomers(catalog, 5);

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
    void anExactlyFullLastPageHasNoNextCursor() {
        CustomerCatalog catalog = catalog();
        List<Customer> customers = addCustomers(catalog, 4);

        CustomerPage first = catalog.list(PageRequest.first(2));
        CustomerPage second = catalog.list(new PageRequest(2, first.nextCursor().orElseThrow()));

        assertThat(customersOf(second)).containsExactlyElementsOf(customers.subList(2, 4));
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void aCursorSurvivesItsTokenForm() {
        CustomerCatalog catalog = catalog();
        List<Customer> customers = addCustomers(catalog, 3);
        String token = catalog.list(PageRequest.first(1)).nextCursor().orElseThrow().token();

        CustomerPage rest = catalog.list(new PageRequest(10, PageCursor.fromToken(token)));

        assertThat(customersOf(rest)).containsExactlyElementsOf(customers.subList(1, 3));
    }

    @Test
    void customersAddedBetweenPagesNeverRepeatOrHideCustomersThatExisted() {
        CustomerCatalog catalog = catalog();
        List<Customer> existing = addCustomers(catalog, 12);
        List<CustomerId> listed = new ArrayList<>();
        PageRequest request = PageRequest.first(4);
        int added = 0;
        while (true) {
            CustomerPage page = catalog.list(request);
            page.items().forEach(item -> listed.add(item.customer().id()));
            // Newcomers before everything, among the customers already listed, among those to come, after all.
            for (int offsetSeconds : new int[] {-3600, 1, 7, 3600}) {
                catalog.add(registered("Newcomer " + added, "new" + added + "@x.io",
                        T0.plusSeconds(offsetSeconds).plusMillis(500)));
                added++;
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
    void customersDeletedBetweenPagesAreSkippedAndTheCursorOfADeletedOneStillResumes() {
        CustomerCatalog catalog = catalog();
        List<Customer> customers = addCustomers(catalog, 6);
        CustomerPage first = catalog.list(PageRequest.first(2));

        catalog.replace(customers.get(1).delete(T0.plusSeconds(60)));
        catalog.replace(customers.get(3).delete(T0.plusSeconds(60)));
        CustomerPage rest = catalog.list(new PageRequest(10, first.nextCursor().orElseThrow()));

        assertThat(first.nextCursor()).contains(PageCursor.after(customers.get(1)));
        assertThat(customersOf(rest)).containsExactly(customers.get(2), customers.get(4), customers.get(5));
        assertThat(rest.nextCursor()).isEmpty();
    }

    private static Customer registered(String name, @Nullable String email, Instant createdAt) {
        return Customer.register(new CustomerName(name), email == null ? null : new Email(email), createdAt);
    }

    private static Customer registered(String name, @Nullable String email) {
        return registered(name, email, T0);
    }

    private static Customer restored(String id, Instant createdAt) {
        return Customer.restore(new CustomerId(UUID.fromString(id)), new CustomerName("Someone"),
                new Email(id.substring(0, 8) + "." + id.substring(34) + "@example.com"),
                Version.FIRST, createdAt, createdAt, null);
    }

    /** Adds customers created one second apart from {@link #T0}; returns them in listing order. */
    private static List<Customer> addCustomers(CustomerCatalog catalog, int count) {
        List<Customer> customers = IntStream.range(0, count)
                .mapToObj(i -> registered("Customer " + i, "customer" + i + "@x.io", T0.plusSeconds(i)))
                .toList();
        customers.forEach(catalog::add);
        return customers;
    }

    /** Every live customer, page by page of {@code limit}, checking that no page holds more. */
    private static List<Customer> listAll(CustomerCatalog catalog, int limit) {
        List<Customer> listed = new ArrayList<>();
        PageRequest request = PageRequest.first(limit);
        for (int pages = 0; pages < 1_000; pages++) {
            CustomerPage page = catalog.list(request);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            listed.addAll(customersOf(page));
            if (page.nextCursor().isEmpty()) {
                return listed;
            }
            request = new PageRequest(limit, page.nextCursor().get());
        }
        throw new AssertionError("the listing never ended");
    }

    private static List<Customer> customersOf(CustomerPage page) {
        return page.items().stream().map(LinkedCustomer::customer).toList();
    }
}
