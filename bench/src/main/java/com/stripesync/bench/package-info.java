/**
 * The outbound benchmark: the packaged service in a child JVM, a slow and rate-limited fake Stripe in
 * this one, an open-loop load on {@code POST /api/customers}, and the figures of what reached the fake,
 * how soon, and how often it was refused. See {@code bench/README.md}.
 */
@NullMarked
package com.stripesync.bench;

import org.jspecify.annotations.NullMarked;
