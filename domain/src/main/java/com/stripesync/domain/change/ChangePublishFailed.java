package com.stripesync.domain.change;

/** The log did not acknowledge a change in time; the relay keeps it unpublished and tries again. */
public final class ChangePublishFailed extends RuntimeException {

    public ChangePublishFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
