package com.stripesync.domain.inbound;

/** A webhook that is not a genuine, current, well-formed event of the system; the message is safe to answer with. */
public final class WebhookRejected extends RuntimeException {

    public WebhookRejected(String message) {
        super(message, null, false, false);
    }
}
