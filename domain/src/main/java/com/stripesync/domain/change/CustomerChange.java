package com.stripesync.domain.change;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.sync.CustomerDetails;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded change of a customer: the snapshot of the fields we own at {@code version}, which is what
 * every worker sends (never a re-read), so a retried write resends identical parameters.
 */
public record CustomerChange(ChangeId id, CustomerId customerId, Version version, ChangeKind kind,
                             CustomerDetails details, ChangeOrigin origin, Instant occurredAt) {

    public CustomerChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (!details.localId().equals(customerId)) {
            throw new IllegalArgumentException("snapshot of " + details.localId() + " in a change of " + customerId);
        }
    }

    /** The change that brought a customer to its current version. */
    public static CustomerChange of(ChangeId id, Customer after, ChangeKind kind, ChangeOrigin origin) {
        return new CustomerChange(id, after.id(), after.version(), kind, CustomerDetails.of(after), origin,
                after.updatedAt());
    }

    public boolean isDeletion() {
        return kind == ChangeKind.DELETED;
    }
}
