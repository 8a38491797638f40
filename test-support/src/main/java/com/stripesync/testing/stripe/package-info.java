/**
 * A fake Stripe API server for tests: the customer endpoints over real HTTP, with Stripe's form
 * encoding, JSON shapes, errors and idempotency, plus fault injection (rate limits, latency, lost
 * responses, server errors) and a record of every request. Start one with {@link
 * com.stripesync.testing.stripe.FakeStripe#start()} and point a client's API base at {@link
 * com.stripesync.testing.stripe.FakeStripe#apiBase()}.
 */
@NullMarked
package com.stripesync.testing.stripe;

import org.jspecify.annotations.NullMarked;
