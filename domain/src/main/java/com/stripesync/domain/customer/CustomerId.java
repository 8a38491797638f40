package com.stripesync.domain.customer;

import java.util.Objects;
import java.util.UUID;

/** The local, server-generated identity of a customer. */
public record CustomerId(UUID value) {

    public CustomerId {
        Objects.requireNonNull(value, "value");
    }

    public static CustomerId generate() {
        return new CustomerId(UUID.randomUUID());
    }

    /** Parses the canonical 36-character UUID form; anything else is rejected, never guessed at. */
    public static CustomerId parse(String text) {
        if (text.length() != 36) {
            throw new InvalidCustomerException("id", "Not a UUID: " + abbreviate(text));
        }
        try {
            return new CustomerId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidCustomerException("id", "Not a UUID: " + abbreviate(text));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
