/**
 * Benchmarks of the packaged service in a child JVM ({@link com.stripesync.bench.BenchmarkMain}). Outbound:
 * a slow and rate-limited fake Stripe in this JVM, an open-loop load on {@code POST /api/customers}, and the
 * figures of what reached the fake, how soon, and how often it was refused. Inbound: closed-loop signed
 * Stripe webhooks on {@code POST /api/stripe-webhook}, and how fast they are accepted and applied, at what
 * CPU cost. See {@code bench/README.md}.
 */
@NullMarked
package com.stripesync.bench;

import org.jspecify.annotations.NullMarked;
