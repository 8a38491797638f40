package com.stripesync.domain.inbound;

/** The event could not be stored durably in time; nothing was accepted. */
public final class EventHandOffFailed extends RuntimeException {

    public EventHandOffFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
