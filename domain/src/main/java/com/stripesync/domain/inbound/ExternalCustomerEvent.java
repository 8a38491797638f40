package com.stripesync.domain.inbound;

import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalCustomer;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One customer event of an external system, in domain terms.
 *
 * @param occurredAt   when the system says it happened; may be coarse (Stripe: whole seconds), so two
 *                     events of one customer can share it
 * @param customer     the customer as the event shows it; absent for a deletion that carries only the id
 * @param requestKey   the idempotency key of the API request that caused the event, if the system tells
 *                     (Stripe: {@code request.idempotency_key}); ours mark our own writes echoed back
 */
public record ExternalCustomerEvent(EventId id, SystemName system, ExternalEventKind kind, ExternalId externalId,
                                    Instant occurredAt, @Nullable ExternalCustomer customer,
                                    @Nullable String requestKey) {

    public ExternalCustomerEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (customer != null && !customer.id().equals(externalId)) {
            throw new IllegalArgumentException("event about " + externalId + " carries customer " + customer.id());
        }
    }

    public Optional<ExternalCustomer> state() {
        return Optional.ofNullable(customer);
    }

    public Optional<String> causedByRequest() {
        return Optional.ofNullable(requestKey);
    }
}
