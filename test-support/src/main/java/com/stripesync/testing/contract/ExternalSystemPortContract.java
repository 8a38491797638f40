package com.stripesync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalChangeRejected;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalCustomerNotFound;
import com.stripesync.domain.sync.ExternalCustomerPage;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ExternalSystemPort} adapter shares. Extend it once per adapter, hand over a
 * port on an empty system in {@link #portUnderTest()}, and make {@link #loseNextResponse()} lose the
 * answer to the next write after the system applied it.
 */
public abstract class ExternalSystemPortContract {

    /** The port under test, backed by a system without customers; called once at the start of each test. */
    protected abstract ExternalSystemPort portUnderTest();

    /**
     * Makes the system apply the next write and then lose its answer, so that the caller gets {@link
     * ExternalSystemUnavailable} although the change was made.
     */
    protected abstract void loseNextResponse();

    /** An id in the system's own format that no customer has. */
    protected ExternalId unknownId() {
        return new ExternalId("cus_NeverExisted0001");
    }

    @Test
    void creatingTwiceWithOneKeyMakesOneCustomer() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        IdempotencyKey key = newKey();

        ExternalId first = port.create(ada, key);
        ExternalId second = port.create(ada, key);

        assertThat(second).isEqualTo(first);
        assertThat(everyCustomer(port)).extracting(ExternalCustomer::id).containsExactly(first);
    }

    @Test
    void creatingWithTwoKeysMakesTwoCustomers() {
        ExternalSystemPort port = portUnderTest();

        ExternalId first = port.create(ada(), newKey());
        ExternalId second = port.create(ada(), newKey());

        assertThat(second).isNotEqualTo(first);
        assertThat(everyCustomer(port)).extracting(ExternalCustomer::id).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void reusingAKeyForOtherDetailsIsRejected() {
        ExternalSystemPort port = portUnderTest();
        IdempotencyKey key = newKey();
        port.create(ada(), key);

        assertThatThrownBy(() -> port.create(grace(), key)).isInstanceOf(ExternalChangeRejected.class);
        assertThat(everyCustomer(port)).hasSize(1);
    }

    @Test
    void retryAfterALostResponseWithTheSameKeyGetsTheSameCustomer() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        IdempotencyKey key = newKey();
        loseNextResponse();

        assertThatThrownBy(() -> port.create(ada, key)).isInstanceOf(ExternalSystemUnavailable.class);
        ExternalId retried = port.create(ada, key);

        assertThat(everyCustomer(port)).extracting(ExternalCustomer::id).containsExactly(retried);
        assertThat(port.fetch(retried)).get().extracting(ExternalCustomer::localId).isEqualTo(ada.localId());
    }

    @Test
    void fetchAfterCreateReturnsOurNameEmailAndLocalId() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();

        ExternalId id = port.create(ada, newKey());

        assertThat(port.fetch(id)).contains(new ExternalCustomer(id, ada.name(), ada.email(), ada.localId()));
    }

    @Test
    void customerWithoutEmailIsCreatedWithoutOne() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails anonymous = new CustomerDetails(CustomerId.generate(), new CustomerName("No Mail"), null);

        ExternalId id = port.create(anonymous, newKey());

        assertThat(port.fetch(id)).contains(new ExternalCustomer(id, anonymous.name(), null, anonymous.localId()));
    }

    @Test
    void updateWritesOurFields() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        ExternalId id = port.create(ada, newKey());
        CustomerDetails renamed = new CustomerDetails(ada.localId(), new CustomerName("Ada King"),
                new Email("countess@lovelace.example"));

        port.update(id, renamed, newKey());

        assertThat(port.fetch(id)).contains(new ExternalCustomer(id, renamed.name(), renamed.email(), ada.localId()));
    }

    @Test
    void updateWithoutEmailKeepsTheEmailTheSystemHolds() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        ExternalId id = port.create(ada, newKey());

        port.update(id, new CustomerDetails(ada.localId(), new CustomerName("Ada King"), null), newKey());

        assertThat(port.fetch(id)).get().satisfies(customer -> {
            assertThat(customer.name()).isEqualTo(new CustomerName("Ada King"));
            assertThat(customer.email()).isEqualTo(ada.email());
        });
    }

    @Test
    void updatingTwiceWithOneKeyAppliesOnce() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        ExternalId id = port.create(ada, newKey());
        CustomerDetails renamed = new CustomerDetails(ada.localId(), new CustomerName("Ada King"), ada.email());
        IdempotencyKey key = newKey();

        port.update(id, renamed, key);
        port.update(id, renamed, key);

        assertThat(port.fetch(id)).get().extracting(ExternalCustomer::name).isEqualTo(renamed.name());
    }

    @Test
    void updateOfAnUnknownIdIsNotFound() {
        ExternalSystemPort port = portUnderTest();

        assertThatThrownBy(() -> port.update(unknownId(), ada(), newKey()))
                .isInstanceOf(ExternalCustomerNotFound.class);
    }

    @Test
    void updateOfADeletedCustomerIsNotFound() {
        ExternalSystemPort port = portUnderTest();
        ExternalId id = port.create(ada(), newKey());
        port.delete(id, newKey());

        assertThatThrownBy(() -> port.update(id, ada(), newKey())).isInstanceOf(ExternalCustomerNotFound.class);
    }

    @Test
    void deletedCustomerIsGoneEverywhere() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        ExternalId id = port.create(ada, newKey());

        port.delete(id, newKey());

        assertThat(port.fetch(id)).isEmpty();
        assertThat(port.findByLocalId(ada)).isEmpty();
        assertThat(everyCustomer(port)).isEmpty();
    }

    @Test
    void deletingAnAlreadyDeletedCustomerSucceeds() {
        ExternalSystemPort port = portUnderTest();
        ExternalId id = port.create(ada(), newKey());
        port.delete(id, newKey());

        port.delete(id, newKey());

        assertThat(port.fetch(id)).isEmpty();
    }

    @Test
    void deleteOfAnUnknownIdIsNotFound() {
        ExternalSystemPort port = portUnderTest();

        assertThatThrownBy(() -> port.delete(unknownId(), newKey())).isInstanceOf(ExternalCustomerNotFound.class);
    }

    @Test
    void fetchOfAnUnknownIdIsAbsent() {
        assertThat(portUnderTest().fetch(unknownId())).isEmpty();
    }

    @Test
    void findByLocalIdFindsTheCustomerCarryingIt() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        port.create(grace(), newKey());
        ExternalId id = port.create(ada, newKey());

        assertThat(port.findByLocalId(ada)).map(ExternalCustomer::id).contains(id);
        assertThat(port.findByLocalId(details("Ada Lovelace", "ada@example.com"))).isEmpty();
    }

    @Test
    void findByLocalIdFindsTheCustomerByItsLocalIdWhateverNameAndEmailItHolds() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails ada = ada();
        ExternalId id = port.create(ada, newKey());
        CustomerDetails renamed = new CustomerDetails(ada.localId(), new CustomerName("Ada King"),
                new Email("ada.king@example.com"));
        CustomerDetails withoutEmail = new CustomerDetails(ada.localId(), ada.name(), null);

        assertThat(port.findByLocalId(renamed)).map(ExternalCustomer::id).contains(id);
        assertThat(port.findByLocalId(withoutEmail)).map(ExternalCustomer::id).contains(id);
    }

    @Test
    void findByLocalIdFindsACustomerCreatedWithoutEmail() {
        ExternalSystemPort port = portUnderTest();
        CustomerDetails noMail = details("No Mail", null);
        ExternalId id = port.create(noMail, newKey());

        assertThat(port.findByLocalId(noMail)).map(ExternalCustomer::id).contains(id);
    }

    @Test
    void listPagesThroughEveryCustomerOnce() {
        ExternalSystemPort port = portUnderTest();
        List<ExternalId> created = IntStream.range(0, 7)
                .mapToObj(i -> port.create(details("Customer " + i, "c" + i + "@example.com"), newKey()))
                .toList();

        List<ExternalCustomerPage> pages = allPages(port, 3);

        assertThat(pages).hasSize(3);
        assertThat(pages).allSatisfy(page -> assertThat(page.items()).hasSizeLessThanOrEqualTo(3));
        assertThat(pages.stream().flatMap(page -> page.items().stream()).map(ExternalCustomer::id))
                .containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void listOfAnEmptySystemIsOneEmptyLastPage() {
        ExternalCustomerPage page = portUnderTest().list(null, 10);

        assertThat(page.items()).isEmpty();
        assertThat(page.nextPage()).isEmpty();
    }

    @Test
    void listRejectsALimitBelowOne() {
        ExternalSystemPort port = portUnderTest();

        assertThatThrownBy(() -> port.list(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    protected static IdempotencyKey newKey() {
        return new IdempotencyKey("contract-" + UUID.randomUUID());
    }

    protected static CustomerDetails ada() {
        return details("Ada Lovelace", "ada@example.com");
    }

    protected static CustomerDetails grace() {
        return details("Grace Hopper", "grace@example.com");
    }

    protected static CustomerDetails details(String name, @Nullable String email) {
        return new CustomerDetails(CustomerId.generate(), new CustomerName(name), email == null ? null : new Email(email));
    }

    protected static List<ExternalCustomer> everyCustomer(ExternalSystemPort port) {
        return allPages(port, 100).stream().flatMap(page -> page.items().stream()).toList();
    }

    private static List<ExternalCustomerPage> allPages(ExternalSystemPort port, int limit) {
        List<ExternalCustomerPage> pages = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            ExternalCustomerPage page = port.list(token.orElse(null), limit);
            pages.add(page);
            token = page.nextPage();
        } while (token.isPresent() && pages.size() < 1_000);
        return pages;
    }
}
