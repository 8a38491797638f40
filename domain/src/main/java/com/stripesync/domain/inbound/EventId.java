package com.stripesync.domain.inbound;

/** An external system's id of one event ({@code evt_...} in Stripe); what the ledger deduplicates on. */
public record EventId(String value) {

    public static final int MAX_LENGTH = 255;

    public EventId {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("An event id is 1-" + MAX_LENGTH + " non-blank characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
