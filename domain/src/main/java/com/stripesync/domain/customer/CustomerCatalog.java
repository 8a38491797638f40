package com.stripesync.domain.customer;

import com.stripesync.domain.link.LinkedCustomer;
import java.util.Optional;

/** The core's view of the local customer catalog. Each call is atomic. */
public interface CustomerCatalog {

    /**
     * Stores a newly registered customer.
     *
     * @throws EmailAlreadyInUse when a live customer has the same email, ignoring case
     */
    void add(Customer customer);

    /**
     * Stores the next version of a customer (a tombstone included), but only if the stored version is
     * the one right before it: optimistic locking, enforced by the store.
     *
     * @throws StaleVersion when the stored customer is at another version
     * @throws CustomerNotFound when no live customer has this id
     * @throws EmailAlreadyInUse when another live customer has the new email
     */
    void replace(Customer next);

    /** The live customer with this id and its links. */
    Optional<LinkedCustomer> find(CustomerId id);

    /** The live customer with this email, ignoring case. */
    Optional<LinkedCustomer> findByEmail(Email email);

    /** The stored version of the customer, a deleted one's tombstone included; absent if it never existed. */
    Optional<Version> currentVersion(CustomerId id);

    /** Live customers ordered by creation time, then id. */
    CustomerPage list(PageRequest request);
}
