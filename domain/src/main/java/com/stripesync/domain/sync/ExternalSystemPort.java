package com.stripesync.domain.sync;

import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What any external customer catalog (Stripe, Salesforce, ...) offers the core, in domain terms.
 *
 * <p>Every write carries an {@link IdempotencyKey}: repeating a write with the same key and the same
 * details has the effect of one write, and answers as the first one did. Reusing a key with other
 * details is a bug on our side and is rejected ({@link ExternalChangeRejected}). Systems forget keys
 * after a while (Stripe: 24 hours); a create retried later must first look for the customer with
 * {@link #findByLocalId(CustomerDetails)}.
 *
 * <p>Writes send only the fields we own: name, email and our local id. An absent email is not written
 * at all: the system keeps whatever email it holds, since an empty value would erase it.
 *
 * <p>Every method may throw {@link ExternalSystemUnavailable} (retry later with the same key: the write
 * may have been applied) or {@link ExternalChangeRejected} (retrying the same call fails again).
 */
public interface ExternalSystemPort {

    /** The name links to this system are stored under. */
    SystemName name();

    /** Creates the customer, carrying our local id, and returns the system's id for it. */
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

    /**
     * The live customer that carries the local id of {@code details}, if any; the oldest one if a past
     * failure created several. Called when an earlier write of these details may have created the customer
     * without our knowing, often moments ago, so it must find a customer created a moment ago, not only
     * once an asynchronous index caught up. {@code details} are the ones about to be written: a system may
     * use them to find the customer at once (the Stripe adapter lists customers by email). The customer is
     * found by its local id alone, whatever name or email it holds now.
     */
    Optional<ExternalCustomer> findByLocalId(CustomerDetails details);

    /**
     * One page of the system's live customers; {@code pageToken} from the previous page, or null for
     * the first. A page holds at most {@code limit} customers (a system may cap it lower, Stripe at 100).
     *
     * @throws IllegalArgumentException when {@code limit} is less than 1
     */
    ExternalCustomerPage list(@Nullable String pageToken, int limit);
}
