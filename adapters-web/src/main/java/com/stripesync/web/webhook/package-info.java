/** Webhook endpoints: raw deliveries handed to the intake use case, answered as Stripe expects. */
@NullMarked
package com.stripesync.web.webhook;

import org.jspecify.annotations.NullMarked;
