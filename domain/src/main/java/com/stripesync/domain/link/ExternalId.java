package com.stripesync.domain.link;

/** A customer's id in an external system, opaque to us. */
public record ExternalId(String value) {

    public static final int MAX_LENGTH = 255;

    public ExternalId {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("An external id is 1-" + MAX_LENGTH + " non-blank characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
