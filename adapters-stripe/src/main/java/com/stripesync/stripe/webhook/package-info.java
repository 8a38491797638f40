/**
 * Stripe's webhooks: verifying a delivery's {@code Stripe-Signature} over its exact bytes (with rotated
 * signing secrets), and reading a queued event into domain terms whatever API version rendered it.
 */
@NullMarked
package com.stripesync.stripe.webhook;

import org.jspecify.annotations.NullMarked;
