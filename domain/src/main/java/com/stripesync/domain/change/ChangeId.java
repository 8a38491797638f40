package com.stripesync.domain.change;

/** The outbox's sequence number of a change; also what idempotency keys for its writes derive from. */
public record ChangeId(long value) {

    public ChangeId {
        if (value < 1) {
            throw new IllegalArgumentException("change ids start at 1: " + value);
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
