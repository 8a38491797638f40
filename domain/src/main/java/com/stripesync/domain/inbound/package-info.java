/**
 * Changes made in an external system (a customer edited in the Stripe Dashboard), as events that the
 * core applies to the local catalog: verified, queued durably, applied once, in order, without loops.
 */
@NullMarked
package com.stripesync.domain.inbound;

import org.jspecify.annotations.NullMarked;
