package com.stripesync.domain.sync;

/** Makes a retried write to an external system count once: derived from our own change id. */
public record IdempotencyKey(String value) {

    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("An idempotency key is 1-" + MAX_LENGTH + " non-blank characters");
        }
    }
}
