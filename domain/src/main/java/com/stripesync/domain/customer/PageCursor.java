package com.stripesync.domain.customer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a page of the catalog ends: the position of its last customer in the listing order
 * (createdAt, then id, both ascending). Both keys never change, so a listing resumed from a cursor
 * never repeats or skips a customer that existed when the listing began. Travels as an opaque token.
 */
public record PageCursor(Instant createdAt, CustomerId id) {

    public static PageCursor after(Customer customer) {
        return new PageCursor(customer.createdAt(), customer.id());
    }

    public String token() {
        String plain = createdAt + "|" + id.value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor fromToken(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            if (bar < 0) {
                throw invalid();
            }
            return new PageCursor(Instant.parse(plain.substring(0, bar)), CustomerId.parse(plain.substring(bar + 1)));
        } catch (IllegalArgumentException | DateTimeParseException | InvalidCustomerException e) {
            throw invalid();
        }
    }

    private static InvalidCustomerException invalid() {
        return new InvalidCustomerException("cursor", "cursor is not one this service handed out");
    }
}
