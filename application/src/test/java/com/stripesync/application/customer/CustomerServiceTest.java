package com.stripesync.application.customer;

import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.testing.catalog.ImmediateUnitOfWork;
import com.stripesync.testing.catalog.InMemoryChangeOutbox;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.LinkedCustomer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CustomerServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.123456Z");
    private static final CustomerName ADA = new CustomerName("Ada");
    private static final Email ADA_MAIL = new Email("ada@example.io");
    private static final CustomerName ADA_KING = new CustomerName("Ada King");
    private static final Email KING_MAIL = new Email("ada.king@example.io");

    private static final SystemName STRIPE = new SystemName("stripe");

    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();
    private final InMemoryChangeOutbox outbox = new InMemoryChangeOutbox();
    private final CustomerService service = new CustomerService(catalog, outbox, catalog, new ImmediateUnitOfWork(),
            Set.of(STRIPE), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void registeredCustomerIsStoredAtVersionOneWithoutLinks() {
        LinkedCustomer registered = service.register(new RegisterCustomerCommand(ADA, ADA_MAIL));

        assertThat(registered.customer().version()).isEqualTo(Version.FIRST);
        assertThat(registered.customer().createdAt()).isEqualTo(NOW);
        assertThat(registered.links()).containsOnlyKeys(STRIPE);
        assertThat(registered.links().get(STRIPE).status()).isEqualTo(SyncStatus.PENDING);
        assertThat(service.get(registered.customer().id())).isEqualTo(registered);
    }

    @Test
    void registeringATakenEmailIsRefused() {
        service.register(new RegisterCustomerCommand(ADA, ADA_MAIL));

        assertThatThrownBy(() -> service.register(new RegisterCustomerCommand(ADA_KING, new Email("ADA@example.io"))))
                .isInstanceOf(EmailAlreadyInUse.class);
        assertThat(catalog.size()).isEqualTo(1);
    }

    @Test
    void gettingAnUnknownCustomerIsNotFound() {
        assertThatThrownBy(() -> service.get(CustomerId.generate())).isInstanceOf(CustomerNotFound.class);
    }

    @Test
    void updateNeverCreatesACustomer() {
        CustomerId unknown = CustomerId.generate();

        assertThatThrownBy(() -> service.update(new UpdateCustomerCommand(unknown, ADA, ADA_MAIL, null)))
                .isInstanceOf(CustomerNotFound.class);
        assertThat(catalog.size()).isZero();
    }

    @Test
    void updateStoresTheNextVersion() {
        CustomerId id = registerAda();

        LinkedCustomer updated = service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, Version.FIRST));

        assertThat(updated.customer().version()).isEqualTo(new Version(2));
        assertThat(updated.customer().name()).isEqualTo(ADA_KING);
        assertThat(catalog.stored(id)).contains(updated.customer());
    }

    @Test
    void updateWithAnOutdatedPreconditionIsStaleAndChangesNothing() {
        CustomerId id = registerAda();
        service.update(new UpdateCustomerCommand(id, ADA_KING, ADA_MAIL, null));

        assertThatThrownBy(() -> service.update(new UpdateCustomerCommand(id, ADA, KING_MAIL, Version.FIRST)))
                .isInstanceOfSatisfying(StaleVersion.class, e -> assertThat(e.expected()).isEqualTo(Version.FIRST));
        assertThat(catalog.stored(id).orElseThrow().name()).isEqualTo(ADA_KING);
        assertThat(catalog.stored(id).orElseThrow().version()).isEqualTo(new Version(2));
    }

    @Test
    void updateWithAPreconditionThatLosesARaceIsStaleNotRetried() {
        CustomerId id = registerAda();
        catalog.beforeNextReplace(() -> concurrentRename(id, "Someone else"));

        assertThatThrownBy(() -> service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, Version.FIRST)))
                .isInstanceOfSatisfying(StaleVersion.class, e -> assertThat(e.expected()).isEqualTo(Version.FIRST));
        assertThat(catalog.stored(id).orElseThrow().name()).isEqualTo(new CustomerName("Someone else"));
        assertThat(catalog.replaces()).isEqualTo(1);
    }

    @Test
    void updateWithoutPreconditionThatLosesARaceIsReappliedOnTheNewerVersion() {
        CustomerId id = registerAda();
        catalog.beforeNextReplace(() -> concurrentRename(id, "Someone else"));

        LinkedCustomer updated = service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));

        assertThat(updated.customer().version()).isEqualTo(new Version(3));
        assertThat(catalog.stored(id)).contains(updated.customer());
        assertThat(updated.customer().name()).isEqualTo(ADA_KING);
        assertThat(catalog.replaces()).isEqualTo(2);
    }

    @Test
    void updateWithoutPreconditionGivesUpAfterLosingEveryRace() {
        CustomerId id = registerAda();
        for (int race = 0; race < 5; race++) {
            int round = race;
            catalog.beforeNextReplace(() -> concurrentRename(id, "Writer " + round));
        }

        assertThatThrownBy(() -> service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null)))
                .isInstanceOf(StaleVersion.class);
        assertThat(catalog.stored(id).orElseThrow().name()).isEqualTo(new CustomerName("Writer 4"));
        assertThat(catalog.replaces()).isEqualTo(5);
    }

    @Test
    void unchangedUpdateKeepsTheVersionAndWritesNothing() {
        CustomerId id = registerAda();

        LinkedCustomer same = service.update(new UpdateCustomerCommand(id, new CustomerName(" Ada "), ADA_MAIL, null));

        assertThat(same.customer().version()).isEqualTo(Version.FIRST);
        assertThat(catalog.replaces()).isZero();
    }

    @Test
    void unchangedUpdateStillHonoursItsPrecondition() {
        CustomerId id = registerAda();

        assertThatThrownBy(() -> service.update(new UpdateCustomerCommand(id, ADA, ADA_MAIL, new Version(2))))
                .isInstanceOf(StaleVersion.class);
    }

    @Test
    void deletedCustomerIsNotFoundAnymoreButKeptAsATombstone() {
        CustomerId id = registerAda();

        service.delete(new DeleteCustomerCommand(id, Version.FIRST));

        assertThatThrownBy(() -> service.get(id)).isInstanceOf(CustomerNotFound.class);
        assertThat(catalog.stored(id)).hasValueSatisfying(tombstone -> {
            assertThat(tombstone.isDeleted()).isTrue();
            assertThat(tombstone.version()).isEqualTo(new Version(2));
        });
        assertThat(service.list(PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void deletingTwiceIsNotFound() {
        CustomerId id = registerAda();
        service.delete(new DeleteCustomerCommand(id, null));

        assertThatThrownBy(() -> service.delete(new DeleteCustomerCommand(id, null))).isInstanceOf(CustomerNotFound.class);
    }

    @Test
    void deleteWithAnOutdatedPreconditionIsStale() {
        CustomerId id = registerAda();
        service.update(new UpdateCustomerCommand(id, ADA_KING, ADA_MAIL, null));

        assertThatThrownBy(() -> service.delete(new DeleteCustomerCommand(id, Version.FIRST)))
                .isInstanceOf(StaleVersion.class);
        assertThat(service.get(id).customer().isDeleted()).isFalse();
    }

    @Test
    void deletedCustomersEmailCanBeRegisteredAgain() {
        CustomerId id = registerAda();
        service.delete(new DeleteCustomerCommand(id, null));

        LinkedCustomer again = service.register(new RegisterCustomerCommand(ADA, ADA_MAIL));

        assertThat(service.findByEmail(ADA_MAIL)).contains(again);
    }

    private CustomerId registerAda() {
        return service.register(new RegisterCustomerCommand(ADA, ADA_MAIL)).customer().id();
    }

    /** Another writer changes the customer behind the service's back. */
    private void concurrentRename(CustomerId id, String name) {
        Customer current = catalog.stored(id).orElseThrow();
        catalog.storeConcurrentChange(current.change(new CustomerName(name), current.email().orElse(null), NOW));
    }
}
