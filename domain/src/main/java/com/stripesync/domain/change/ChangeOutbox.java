package com.stripesync.domain.change;

import com.stripesync.domain.customer.Customer;
import java.util.List;

/**
 * The transactional outbox of catalog changes. {@link #append} joins the caller's unit of work, so a
 * change is recorded if and only if the catalog write commits.
 */
public interface ChangeOutbox {

    /** Records the change that brought {@code after} to its version; returns the change's id. */
    ChangeId append(Customer after, ChangeKind kind, ChangeOrigin origin);

    /**
     * Up to {@code limit} unpublished changes in id order, locked for the caller's unit of work and
     * skipped by any other relay meanwhile (several relays may run).
     */
    List<CustomerChange> lockNextUnpublished(int limit);

    /** Marks changes published, in the caller's unit of work, after the broker acknowledged them. */
    void markPublished(List<ChangeId> ids);
}
