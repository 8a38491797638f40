/**
 * How we reach Stripe: settings, the client built from them (paced by our write and read budgets), and
 * what its failures mean to the core.
 */
@NullMarked
package com.stripesync.stripe.connection;

import org.jspecify.annotations.NullMarked;
