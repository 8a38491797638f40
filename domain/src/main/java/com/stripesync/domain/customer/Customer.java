package com.stripesync.domain.customer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The customer aggregate. Immutable: every change returns the next version. A deleted customer stays
 * as a tombstone ({@link #isDeleted()}) so that the deletion can still be propagated to external
 * systems.
 *
 * <p>Timestamps are kept at microsecond precision, the precision PostgreSQL stores, so a customer
 * read back equals the one written.
 */
public final class Customer {

    private final CustomerId id;
    private final CustomerName name;
    private final @Nullable Email email;
    private final Version version;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final @Nullable Instant deletedAt;

    private Customer(CustomerId id, CustomerName name, @Nullable Email email, Version version,
                     Instant createdAt, Instant updatedAt, @Nullable Instant deletedAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.email = email;
        this.version = Objects.requireNonNull(version, "version");
        this.createdAt = micros(createdAt);
        this.updatedAt = micros(updatedAt);
        this.deletedAt = deletedAt == null ? null : micros(deletedAt);
        if (this.updatedAt.isBefore(this.createdAt)) {
            throw new IllegalArgumentException("updatedAt before createdAt for customer " + id);
        }
    }

    /** A new customer with a fresh id at version 1. Email may be absent for customers imported from elsewhere. */
    public static Customer register(CustomerName name, @Nullable Email email, Instant now) {
        return new Customer(CustomerId.generate(), name, email, Version.FIRST, now, now, null);
    }

    /** A customer as it was stored. */
    public static Customer restore(CustomerId id, CustomerName name, @Nullable Email email, Version version,
                                   Instant createdAt, Instant updatedAt, @Nullable Instant deletedAt) {
        return new Customer(id, name, email, version, createdAt, updatedAt, deletedAt);
    }

    /** The next version with new contact details. */
    public Customer change(CustomerName newName, @Nullable Email newEmail, Instant now) {
        requireLive();
        return new Customer(id, newName, newEmail, version.next(), createdAt, later(now), null);
    }

    /** The next version as a tombstone. */
    public Customer delete(Instant now) {
        requireLive();
        Instant at = later(now);
        return new Customer(id, name, email, version.next(), createdAt, at, at);
    }

    /**
     * The check a catalog makes before it stores {@code next} in place of this stored version (optimistic locking,
     * as {@link CustomerCatalog#replace} states it; the PostgreSQL catalog states the same in SQL).
     *
     * @throws CustomerNotFound when this version is a tombstone
     * @throws StaleVersion     when {@code next} is not based on this version
     */
    public void requireReplaceableBy(Customer next) {
        if (isDeleted()) {
            throw new CustomerNotFound(id);
        }
        Version basedOn = next.version().previous();
        if (!version.equals(basedOn)) {
            throw new StaleVersion(id, basedOn);
        }
    }

    /** True when a change to these values would alter nothing. */
    public boolean hasDetails(CustomerName otherName, @Nullable Email otherEmail) {
        return name.equals(otherName) && Objects.equals(email, otherEmail);
    }

    public CustomerId id() {
        return id;
    }

    public CustomerName name() {
        return name;
    }

    public Optional<Email> email() {
        return Optional.ofNullable(email);
    }

    public Version version() {
        return version;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Optional<Instant> deletedAt() {
        return Optional.ofNullable(deletedAt);
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    private void requireLive() {
        if (isDeleted()) {
            throw new CustomerNotFound(id);
        }
    }

    /** Clocks may step back; a customer's updatedAt never does. */
    private Instant later(Instant now) {
        Instant truncated = micros(now);
        return truncated.isBefore(updatedAt) ? updatedAt : truncated;
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Customer other
                && id.equals(other.id)
                && name.equals(other.name)
                && Objects.equals(email, other.email)
                && version.equals(other.version)
                && createdAt.equals(other.createdAt)
                && updatedAt.equals(other.updatedAt)
                && Objects.equals(deletedAt, other.deletedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version);
    }

    @Override
    public String toString() {
        return "Customer[id=" + id + ", version=" + version.value() + (isDeleted() ? ", deleted" : "") + "]";
    }
}
