package com.stripesync.domain.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CustomerTest {

    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.123456789Z");
    private static final Instant T0_MICROS = Instant.parse("2026-03-04T05:06:07.123456Z");
    private static final CustomerName ADA = new CustomerName("Ada");
    private static final Email ADA_MAIL = new Email("ada@example.io");

    @Test
    void registeredCustomerIsAtVersionOneLiveAndCreatedNow() {
        Customer customer = Customer.register(ADA, ADA_MAIL, T0);

        assertThat(customer.version()).isEqualTo(Version.FIRST);
        assertThat(customer.isDeleted()).isFalse();
        assertThat(customer.deletedAt()).isEmpty();
        assertThat(customer.createdAt()).isEqualTo(T0_MICROS);
        assertThat(customer.updatedAt()).isEqualTo(T0_MICROS);
        assertThat(customer.email()).contains(ADA_MAIL);
    }

    @Test
    void timestampsKeepMicrosecondsOnly() {
        assertThat(Customer.register(ADA, null, T0).createdAt().getNano()).isEqualTo(123_456_000);
    }

    @Test
    void registeringTwiceGivesTwoIdentities() {
        assertThat(Customer.register(ADA, null, T0).id()).isNotEqualTo(Customer.register(ADA, null, T0).id());
    }

    @Test
    void onlyTheNextVersionOfALiveCustomerMayReplaceIt() {
        Customer registered = Customer.register(ADA, ADA_MAIL, T0);
        Customer changed = registered.change(new CustomerName("Ada King"), ADA_MAIL, T0);
        Customer deleted = changed.delete(T0);

        registered.requireReplaceableBy(changed);
        assertThatThrownBy(() -> registered.requireReplaceableBy(deleted)).isInstanceOf(StaleVersion.class);
        assertThatThrownBy(() -> deleted.requireReplaceableBy(changed)).isInstanceOf(CustomerNotFound.class);
    }

    @Test
    void changeGivesTheNextVersionWithNewDetails() {
        Customer registered = Customer.register(ADA, ADA_MAIL, T0);

        Customer changed = registered.change(new CustomerName("Ada King"), null, T0.plusSeconds(10));

        assertThat(changed.id()).isEqualTo(registered.id());
        assertThat(changed.version()).isEqualTo(new Version(2));
        assertThat(changed.name()).isEqualTo(new CustomerName("Ada King"));
        assertThat(changed.email()).isEmpty();
        assertThat(changed.createdAt()).isEqualTo(registered.createdAt());
        assertThat(changed.updatedAt()).isEqualTo(T0_MICROS.plusSeconds(10));
        assertThat(registered.version()).as("the original is untouched").isEqualTo(Version.FIRST);
    }

    @Test
    void updatedAtNeverStepsBackWhenTheClockDoes() {
        Customer registered = Customer.register(ADA, ADA_MAIL, T0);

        Customer changed = registered.change(ADA, null, T0.minusSeconds(60));

        assertThat(changed.updatedAt()).isEqualTo(registered.updatedAt());
    }

    @Test
    void deletionGivesTheNextVersionAsATombstone() {
        Customer changed = Customer.register(ADA, ADA_MAIL, T0).change(ADA, null, T0.plusSeconds(1));

        Customer tombstone = changed.delete(T0.plusSeconds(2));

        assertThat(tombstone.version()).isEqualTo(new Version(3));
        assertThat(tombstone.isDeleted()).isTrue();
        assertThat(tombstone.deletedAt()).contains(T0_MICROS.plusSeconds(2));
        assertThat(tombstone.updatedAt()).isEqualTo(T0_MICROS.plusSeconds(2));
        assertThat(tombstone.name()).isEqualTo(changed.name());
    }

    @Test
    void tombstoneCannotChangeNorBeDeletedAgain() {
        Customer tombstone = Customer.register(ADA, ADA_MAIL, T0).delete(T0.plusSeconds(1));

        assertThatThrownBy(() -> tombstone.change(ADA, ADA_MAIL, T0.plusSeconds(2))).isInstanceOf(CustomerNotFound.class);
        assertThatThrownBy(() -> tombstone.delete(T0.plusSeconds(2))).isInstanceOf(CustomerNotFound.class);
    }

    @Test
    void hasDetailsComparesNameAndEmailExactly() {
        Customer customer = Customer.register(ADA, ADA_MAIL, T0);

        assertThat(customer.hasDetails(ADA, ADA_MAIL)).isTrue();
        assertThat(customer.hasDetails(ADA, new Email("ADA@example.io"))).isFalse();
        assertThat(customer.hasDetails(ADA, null)).isFalse();
        assertThat(customer.hasDetails(new CustomerName("Bob"), ADA_MAIL)).isFalse();
    }

    @Test
    void restoredCustomerEqualsTheOneThatWasStored() {
        Customer stored = Customer.register(ADA, ADA_MAIL, T0).delete(T0.plusSeconds(1));

        Customer restored = Customer.restore(stored.id(), stored.name(), ADA_MAIL, stored.version(), stored.createdAt(),
                stored.updatedAt(), stored.deletedAt().orElseThrow());

        assertThat(restored).isEqualTo(stored).hasSameHashCodeAs(stored);
    }

    @Test
    void restoreRefusesAnUpdateBeforeTheCreation() {
        assertThatThrownBy(() -> Customer.restore(CustomerId.generate(), ADA, null, Version.FIRST, T0,
                T0.minusSeconds(1), null)).isInstanceOf(IllegalArgumentException.class);
    }
}
