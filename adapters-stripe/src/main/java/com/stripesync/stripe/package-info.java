/** Stripe adapter: the {@code ExternalSystemPort} over stripe-java (arrives with the outbound sync). */
@NullMarked
package com.stripesync.stripe;

import org.jspecify.annotations.NullMarked;
