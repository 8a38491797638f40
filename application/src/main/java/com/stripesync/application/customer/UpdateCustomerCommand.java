package com.stripesync.application.customer;

import static com.stripesync.application.customer.RegisterCustomerCommand.requirePresent;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Replace a customer's name and email; with {@code expectedVersion} only if it is still at that version. */
public record UpdateCustomerCommand(CustomerId id, CustomerName name, Email email, @Nullable Version expectedVersion) {

    public UpdateCustomerCommand {
        requirePresent(id, "id");
        requirePresent(name, "name");
        requirePresent(email, "email");
    }

    public Optional<Version> precondition() {
        return Optional.ofNullable(expectedVersion);
    }
}
