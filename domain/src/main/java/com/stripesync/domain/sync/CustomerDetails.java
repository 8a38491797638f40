package com.stripesync.domain.sync;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The fields we own and write to an external system for one local customer. */
public record CustomerDetails(CustomerId localId, CustomerName name, @Nullable Email email) {

    public CustomerDetails {
        Objects.requireNonNull(localId, "localId");
        Objects.requireNonNull(name, "name");
    }

    public static CustomerDetails of(Customer customer) {
        return new CustomerDetails(customer.id(), customer.name(), customer.email().orElse(null));
    }
}
