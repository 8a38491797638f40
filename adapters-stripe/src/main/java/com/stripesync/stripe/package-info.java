/**
 * Stripe adapter: the {@code ExternalSystemPort} over stripe-java. {@code connection} holds the settings,
 * the one {@code StripeClient} built from them and the translation of Stripe's failures into domain
 * terms; {@code customer} implements the port on Stripe's customer API.
 */
@NullMarked
package com.stripesync.stripe;

import org.jspecify.annotations.NullMarked;
