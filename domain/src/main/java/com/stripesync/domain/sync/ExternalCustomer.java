package com.stripesync.domain.sync;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A customer as an external system holds it, in domain terms. Name and email may be absent there;
 * {@code localId} is our id if the system carries it (e.g. Stripe metadata).
 */
public record ExternalCustomer(ExternalId id, @Nullable CustomerName name, @Nullable Email email,
                               @Nullable CustomerId localId) {

    public ExternalCustomer {
        Objects.requireNonNull(id, "id");
    }

    public Optional<CustomerId> localIdIfKnown() {
        return Optional.ofNullable(localId);
    }
}
