package com.stripesync.domain.customer;

/** The customer changed since the version the caller based its change on. */
public final class StaleVersion extends RuntimeException {

    private final CustomerId id;
    private final Version expected;

    public StaleVersion(CustomerId id, Version expected) {
        super("Customer " + id.value() + " is no longer at version " + expected.value());
        this.id = id;
        this.expected = expected;
    }

    public CustomerId id() {
        return id;
    }

    public Version expected() {
        return expected;
    }
}
