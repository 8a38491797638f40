package com.stripesync.domain.inbound;

/**
 * The catalog as a batch of inbound events needs it: everything the batch may read, fetched and locked in a
 * few statements, and everything it changed, written back in a few batched statements. Both join the
 * caller's unit of work, so the batch commits, or leaves nothing, as one.
 *
 * <p>Applying events one by one costs a handful of statements per event; a batch costs a handful in all.
 * The rules stay the same: the core applies each event to the {@link CatalogSlice} in memory, in order, and
 * hands the outcome to {@link #write}.
 */
public interface InboundBatchStore {

    /**
     * Reads and locks (until the unit of work ends) what {@code request} names: which of its events were
     * applied before, the customers (tombstones included) with its ids, linked to its external ids, or live
     * with its emails, and every link of those customers.
     */
    CatalogSlice lock(SliceRequest request);

    /**
     * Writes what applying a batch changed.
     *
     * @throws com.stripesync.domain.customer.StaleVersion     when a customer is no longer at the version the batch read
     * @throws com.stripesync.domain.customer.EmailAlreadyInUse when a live customer outside the batch took an email since
     * @throws IllegalStateException                            when a link would take an external id another customer holds
     */
    void write(CatalogWrites writes);
}
