package com.stripesync.testing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryCustomerCatalogTest {

    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();

    @Test
    void anAddedCustomerIsFoundByIdAndByEmailIgnoringCase() {
        Customer ada = customer("Ada@Example.com", T0);
        catalog.add(ada);

        assertThat(catalog.find(ada.id())).map(LinkedCustomer::customer).contains(ada);
        assertThat(catalog.findByEmail(new Email("ada@example.COM"))).map(LinkedCustomer::customer).contains(ada);
    }

    @Test
    void anEmailALiveCustomerHasIsRefusedIgnoringCase() {
        catalog.add(customer("ada@example.com", T0));

        assertThatThrownBy(() -> catalog.add(customer("ADA@example.com", T0))).isInstanceOf(EmailAlreadyInUse.class);
    }

    @Test
    void changingToAnotherLiveCustomersEmailIsRefused() {
        catalog.add(customer("ada@example.com", T0));
        Customer grace = customer("grace@example.com", T0);
        catalog.add(grace);

        Customer next = grace.change(grace.name(), new Email("Ada@example.com"), T0.plusSeconds(1));

        assertThatThrownBy(() -> catalog.replace(next)).isInstanceOf(EmailAlreadyInUse.class);
        assertThat(catalog.find(grace.id())).map(LinkedCustomer::customer).contains(grace);
    }

    @Test
    void aReplacementNotBasedOnTheStoredVersionIsStale() {
        Customer ada = customer("ada@example.com", T0);
        catalog.add(ada);
        catalog.replace(ada.change(new CustomerName("Ada King"), ada.email().orElseThrow(), T0.plusSeconds(1)));

        Customer basedOnFirst = ada.change(new CustomerName("Ada Byron"), ada.email().orElseThrow(), T0.plusSeconds(2));

        assertThatThrownBy(() -> catalog.replace(basedOnFirst)).isInstanceOf(StaleVersion.class);
        assertThat(catalog.find(ada.id()).orElseThrow().customer().name().value()).isEqualTo("Ada King");
    }

    @Test
    void aDeletedCustomerIsKeptAsTombstoneButNeitherFoundNorListedAndFreesItsEmail() {
        Customer ada = customer("ada@example.com", T0);
        catalog.add(ada);
        Customer tombstone = ada.delete(T0.plusSeconds(1));
        catalog.replace(tombstone);

        assertThat(catalog.find(ada.id())).isEmpty();
        assertThat(catalog.findByEmail(new Email("ada@example.com"))).isEmpty();
        assertThat(catalog.list(PageRequest.first(10)).items()).isEmpty();
        assertThat(catalog.contents()).containsEntry(ada.id(), tombstone);
        assertThatThrownBy(() -> catalog.replace(tombstone.delete(T0.plusSeconds(2))))
                .isInstanceOf(CustomerNotFound.class);
        catalog.add(customer("ada@example.com", T0.plusSeconds(3)));
    }

    @Test
    void replacingAnUnknownCustomerIsNotFound() {
        Customer stranger = customer("x@example.com", T0);

        assertThatThrownBy(() -> catalog.replace(stranger.change(stranger.name(), null, T0)))
                .isInstanceOf(CustomerNotFound.class);
    }

    @Test
    void listingFollowsCreationTimeThenIdComparedAsUnsignedBytesAcrossPages() {
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

        List<Customer> listed = new ArrayList<>();
        PageRequest request = PageRequest.first(2);
        while (true) {
            CustomerPage page = catalog.list(request);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            page.items().forEach(item -> listed.add(item.customer()));
            if (page.nextCursor().isEmpty()) {
                break;
            }
            request = new PageRequest(2, page.nextCursor().get());
        }

        assertThat(listed).containsExactlyElementsOf(expected);
    }

    @Test
    void aRecordedLinkIsReturnedWithTheCustomer() {
        Customer ada = customer("ada@example.com", T0);
        catalog.add(ada);
        ExternalLink link = new ExternalLink(ada.id(), new SystemName("stripe"), new ExternalId("cus_1"),
                SyncStatus.SYNCED, T0, null, null, null);

        catalog.link(link);

        assertThat(catalog.find(ada.id()).orElseThrow().links()).containsEntry(new SystemName("stripe"), link);
    }

    private static Customer customer(String email, Instant at) {
        return Customer.register(new CustomerName("Someone"), new Email(email), at);
    }

    private static Customer restored(String id, Instant createdAt) {
        return Customer.restore(new CustomerId(UUID.fromString(id)), new CustomerName("Someone"),
                new Email(id.substring(0, 8) + "." + id.substring(34) + "@example.com"),
                Version.FIRST, createdAt, createdAt, null);
    }
}
