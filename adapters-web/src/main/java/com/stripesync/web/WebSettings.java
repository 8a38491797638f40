package com.stripesync.web;

/** Server-level settings of the HTTP adapter. */
public record WebSettings(long maxPayloadBytes) {

    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

    public WebSettings {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
        }
    }

    /** A request body of at most 1 MiB. */
    public static WebSettings defaults() {
        return new WebSettings(DEFAULT_MAX_PAYLOAD_BYTES);
    }
}
