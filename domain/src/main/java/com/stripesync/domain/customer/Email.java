package com.stripesync.domain.customer;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address: trimmed, at most {@value #MAX_LENGTH} characters (Stripe's limit), one {@code @}
 * between a local part and a dotted domain, no whitespace or control characters. Case is kept as
 * given; {@link #normalized()} is the form compared for uniqueness.
 */
public record Email(String value) {

    public static final int MAX_LENGTH = 512;

    private static final Pattern SYNTAX = Pattern.compile(
            "[^@\\s]{1,64}@(?=.{1,253}$)(?:[A-Za-z0-9\\p{L}](?:[A-Za-z0-9\\p{L}-]{0,61}[A-Za-z0-9\\p{L}])?\\.)+"
                    + "[A-Za-z\\p{L}][A-Za-z0-9\\p{L}-]{0,62}");

    public Email {
        if (value == null) {
            throw new InvalidCustomerException("email", "email is required");
        }
        value = value.strip();
        if (value.isEmpty()) {
            throw new InvalidCustomerException("email", "email must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidCustomerException("email", "email must be at most " + MAX_LENGTH + " characters");
        }
        if (value.codePoints().anyMatch(Character::isISOControl) || !SYNTAX.matcher(value).matches()) {
            throw new InvalidCustomerException("email", "email is not a valid address");
        }
    }

    /**
     * The form compared for uniqueness, lowered as PostgreSQL's {@code lower()} does in a UTF-8 locale (the unique
     * index): code point by code point, by simple case mapping. So U+0130 (capital I with dot) is "i", where
     * {@link String#toLowerCase} would give "i" and a combining dot.
     */
    public String normalized() {
        if (isAscii(value)) {
            // The same mapping for ASCII letters, without walking code points (an address is usually ASCII).
            return value.toLowerCase(Locale.ROOT);
        }
        return value.codePoints().map(Character::toLowerCase)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public boolean sameAddressAs(Email other) {
        return normalized().equals(other.normalized());
    }
}
