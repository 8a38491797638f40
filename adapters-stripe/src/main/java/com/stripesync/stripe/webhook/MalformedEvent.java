package com.stripesync.stripe.webhook;

/**
 * A payload that is not a well-formed Stripe event. The message is short, names what is missing, and
 * never quotes the payload, so it is safe to answer with and to log.
 */
final class MalformedEvent extends RuntimeException {

    MalformedEvent(String message) {
        super(message, null, false, false);
    }
}
