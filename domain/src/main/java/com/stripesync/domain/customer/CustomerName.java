package com.stripesync.domain.customer;

/**
 * A customer's display name: trimmed, not blank, at most {@value #MAX_LENGTH} characters (Stripe's own
 * limit), without control characters.
 */
public record CustomerName(String value) {

    public static final int MAX_LENGTH = 256;

    public CustomerName {
        if (value == null) {
            throw new InvalidCustomerException("name", "name is required");
        }
        value = value.strip();
        if (value.isEmpty()) {
            throw new InvalidCustomerException("name", "name must not be blank");
        }
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw new InvalidCustomerException("name", "name must be at most " + MAX_LENGTH + " characters");
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidCustomerException("name", "name must not contain control characters");
        }
    }
}
