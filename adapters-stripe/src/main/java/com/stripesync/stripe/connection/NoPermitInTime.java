package com.stripesync.stripe.connection;

import com.stripe.exception.StripeException;

/**
 * Our own request budget (not Stripe) could not give a request its turn within {@code maxWaitForPermit}:
 * the request was never sent. A {@link StripeException} so that it travels through stripe-java like the
 * failures of the transport it stands in for; {@link StripeFailures} makes it an unavailability.
 */
final class NoPermitInTime extends StripeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    NoPermitInTime(String reason) {
        super(reason, null, null, null);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
