package com.stripesync.domain.inbound;

/** A queued payload that cannot be read as an event; it goes to the dead-letter topic. */
public final class UnreadableEvent extends RuntimeException {

    public UnreadableEvent(String message, Throwable cause) {
        super(message, cause);
    }

    public UnreadableEvent(String message) {
        super(message);
    }
}
