package com.stripesync.stripe.customer;

/** How {@link StripeCustomers#findByLocalId} finds the Stripe customer that carries our local id. */
public enum LocalIdLookup {

    /**
     * The default. Lists the customers that may have been created moments ago (those with the email about
     * to be written; without one, those created in the last {@link StripeCustomers#SEARCH_INDEX_ALLOWANCE})
     * and compares the metadata, since lists are immediately consistent; finding none, uses Stripe's customer
     * search on {@code metadata['stripe_sync_id']}: one request whatever the account's size, but eventually
     * consistent (new writes appear within about a minute, in outages later) and not offered to accounts in
     * India. The list step matters because the lookup mostly runs right after a create that may have been
     * applied (a 500 Stripe keeps under the key, a create applied but never recorded); search serves a
     * create retried after Stripe forgot its idempotency key (24 hours), long after the customer became
     * searchable, or a customer whose email changed since.
     */
    SEARCH,

    /**
     * Pages through every customer (100 per request) and compares the metadata: exact and immediately
     * consistent, for accounts without search, at one request per 100 customers.
     */
    LIST_SCAN
}
