/** Our customers on Stripe's customer API: the {@code ExternalSystemPort} named {@code stripe}. */
@NullMarked
package com.stripesync.stripe.customer;

import org.jspecify.annotations.NullMarked;
