package com.stripesync.domain.customer;

/** A value given for a customer (or for a query over customers) breaks a rule; {@link #field()} names it. */
public final class InvalidCustomerException extends RuntimeException {

    private final String field;

    public InvalidCustomerException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
