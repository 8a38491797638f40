package com.stripesync.application.customer;

import static com.stripesync.application.customer.RegisterCustomerCommand.requirePresent;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Version;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Delete a customer; with {@code expectedVersion} only if it is still at that version. */
public record DeleteCustomerCommand(CustomerId id, @Nullable Version expectedVersion) {

    public DeleteCustomerCommand {
        requirePresent(id, "id");
    }

    public Optional<Version> precondition() {
        return Optional.ofNullable(expectedVersion);
    }
}
