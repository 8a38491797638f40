/**
 * A fake Stripe API server for tests: the customer endpoints over real HTTP, with Stripe's form
 * encoding, JSON shapes, errors and idempotency, plus fault injection (rate limits, latency, lost
 * responses, server errors) and a record of every request. Start one with {@link
 * com.stripesync.testing.stripe.FakeStripe#start()} and point a client's API base at {@link
 * com.stripesync.testing.stripe.FakeStripe#apiBase()}.
 *
 * <p>For the webhook side: {@link com.stripesync.testing.stripe.StripeEvents} renders Stripe-like events
 * (customer created, updated, deleted, deleted stubs, any other type) as Stripe posts them, and
 * {@link com.stripesync.testing.stripe.StripeWebhookSigner} signs their bytes into a
 * {@code Stripe-Signature} header.
 */
@NullMarked
package com.stripesync.testing.stripe;

import org.jspecify.annotations.NullMarked;
