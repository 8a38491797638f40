package com.stripesync.domain.sync;

import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What any external customer catalog (Stripe, Salesforce, ...) offers the core, in domain terms.
 * Every write carries an {@link IdempotencyKey}: repeating a write with the same key and the same
 * details has the effect of one write.
 */
public interface ExternalSystemPort {

    /** The name links to this system are stored under. */
    SystemName name();

    /** Creates the customer and returns the system's id for it. */
    ExternalId create(CustomerDetails details, IdempotencyKey key);

    /**
     * Writes our fields onto an existing customer.
     *
     * @throws ExternalCustomerNotFound when the system has no live customer with this id
     */
    void update(ExternalId id, CustomerDetails details, IdempotencyKey key);

    /**
     * Deletes the customer. Deleting one that is already gone succeeds.
     *
     * @throws ExternalCustomerNotFound when the system never had a customer with this id
     */
    void delete(ExternalId id, IdempotencyKey key);

    /** The customer with this id, absent when unknown or deleted. */
    Optional<ExternalCustomer> fetch(ExternalId id);

    /** One page of the system's customers; {@code pageToken} from the previous page, or null for the first. */
    ExternalCustomerPage list(@Nullable String pageToken, int limit);
}
