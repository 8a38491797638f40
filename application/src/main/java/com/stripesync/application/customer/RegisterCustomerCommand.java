package com.stripesync.application.customer;

import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.InvalidCustomerException;
import org.jspecify.annotations.Nullable;

/** Register a customer; through our API the email is required. */
public record RegisterCustomerCommand(CustomerName name, Email email) {

    public RegisterCustomerCommand {
        requirePresent(name, "name");
        requirePresent(email, "email");
    }

    static void requirePresent(@Nullable Object value, String field) {
        if (value == null) {
            throw new InvalidCustomerException(field, field + " is required");
        }
    }
}
