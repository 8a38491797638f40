package com.stripesync.domain.customer;

/** A customer's version: 1 when registered, one more per change (deletion included). */
public record Version(long value) {

    public static final Version FIRST = new Version(1);

    public Version {
        if (value < 1) {
            throw new InvalidCustomerException("version", "version must be at least 1");
        }
    }

    public Version next() {
        return new Version(value + 1);
    }

    public Version previous() {
        return new Version(value - 1);
    }
}
