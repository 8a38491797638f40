package com.stripesync.testing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What only the fake offers (its inspection and set-up methods) and what the shared contract cannot hold every
 * PostgreSQL to; the catalog's behaviour itself is in {@link InMemoryCustomerCatalogContractTest}.
 */
class InMemoryCustomerCatalogTest {

    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();

    @Test
    void aDeletedCustomerIsKeptAsATombstone() {
        Customer ada = customer("ada@example.com");
        catalog.add(ada);
        Customer tombstone = ada.delete(T0.plusSeconds(1));

        catalog.replace(tombstone);

        assertThat(catalog.contents()).containsEntry(ada.id(), tombstone);
        assertThat(catalog.stored(ada.id())).contains(tombstone);
        assertThat(catalog.find(ada.id())).isEmpty();
    }

    /**
     * PostgreSQL's {@code lower()} in a UTF-8 locale (the embedded server's) lowers letter by letter, so that
     * U+0130 becomes a plain "i"; Java's {@code toLowerCase} would give "i" and a combining dot. Not in the
     * contract: a server in the C locale lowers ASCII letters only.
     */
    @Test
    void emailsAreComparedLetterByLetterAsPostgresLowersThem() {
        Customer plain = customer("i@example.com");
        catalog.add(plain);

        assertThatThrownBy(() -> catalog.add(customer("\u0130@example.com"))).isInstanceOf(EmailAlreadyInUse.class);
        assertThat(catalog.findByEmail(new Email("\u0130@example.com"))).map(LinkedCustomer::customer).contains(plain);
    }

    @Test
    void aRecordedLinkIsReturnedWithTheCustomer() {
        Customer ada = customer("ada@example.com");
        catalog.add(ada);
        ExternalLink link = new ExternalLink(ada.id(), new SystemName("stripe"), new ExternalId("cus_1"),
                SyncStatus.SYNCED, T0, null, null, null);

        catalog.link(link);

        assertThat(catalog.find(ada.id()).orElseThrow().links()).containsEntry(new SystemName("stripe"), link);
    }

    @Test
    void anExternalIdLinkedToOneCustomerCannotBeLinkedToAnother() {
        Customer ada = customer("ada@example.com");
        Customer bob = customer("bob@example.com");
        catalog.add(ada);
        catalog.add(bob);
        catalog.link(new ExternalLink(ada.id(), new SystemName("stripe"), new ExternalId("cus_1"),
                SyncStatus.SYNCED, T0, null, null, null));

        assertThatThrownBy(() -> catalog.link(new ExternalLink(bob.id(), new SystemName("stripe"),
                new ExternalId("cus_1"), SyncStatus.SYNCED, T0, null, null, null)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(catalog.find(bob.id()).orElseThrow().links()).isEmpty();
    }

    private static Customer customer(String email) {
        return Customer.register(new CustomerName("Someone"), new Email(email), T0);
    }
}
