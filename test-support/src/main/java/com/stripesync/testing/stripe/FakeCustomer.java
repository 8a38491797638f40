package com.stripesync.testing.stripe;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A customer as the fake stores it. Stripe keeps a deleted customer as a stub that answers
 * {@code deleted: true}; so does the fake.
 *
 * @param id         {@code cus_...}
 * @param created    creation time; Stripe shows it in whole seconds
 * @param modified   the last write, used to model search-index lag
 * @param sequence   creation order, breaks ties between customers created in the same second
 */
public record FakeCustomer(String id, Instant created, Instant modified, long sequence, @Nullable String name,
                           @Nullable String email, @Nullable String description, @Nullable String phone,
                           Map<String, String> metadata, boolean deleted) {

    public FakeCustomer {
        Objects.requireNonNull(id, "id");
        metadata = Map.copyOf(metadata);
    }

    FakeCustomer withDetails(@Nullable String newName, @Nullable String newEmail, @Nullable String newDescription,
                             @Nullable String newPhone, Map<String, String> newMetadata, Instant now) {
        return new FakeCustomer(id, created, now, sequence, newName, newEmail, newDescription, newPhone, newMetadata,
                false);
    }

    FakeCustomer asDeleted(Instant now) {
        return new FakeCustomer(id, created, now, sequence, name, email, description, phone, metadata, true);
    }
}
