package com.stripesync.stripe.customer;

/** How {@link StripeCustomers#findByLocalId} finds the Stripe customer that carries our local id. */
public enum LocalIdLookup {

    /**
     * Stripe's customer search on {@code metadata['stripe_sync_id']}: one request whatever the account's
     * size. Search is eventually consistent (new writes appear within about a minute, in outages up to an
     * hour later) and not offered to accounts in India. The default: the lookup is needed when a create is
     * retried after Stripe forgot its idempotency key (24 hours), long after the customer became searchable.
     */
    SEARCH,

    /**
     * Pages through every customer (100 per request) and compares the metadata: exact and immediately
     * consistent, for accounts without search, at one request per 100 customers.
     */
    LIST_SCAN
}
