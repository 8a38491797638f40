package com.stripesync.application.customer;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.LinkedCustomer;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The customer use cases over the local catalog. */
public final class CustomerService
        implements RegisterCustomer, GetCustomer, ListCustomers, UpdateCustomer, DeleteCustomer {

    /** Without a caller's precondition, a change that lost a race is re-applied on the newer version. */
    private static final int ATTEMPTS_WITHOUT_PRECONDITION = 5;

    private final CustomerCatalog catalog;
    private final Clock clock;

    public CustomerService(CustomerCatalog catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public LinkedCustomer register(RegisterCustomerCommand command) {
        Customer customer = Customer.register(command.name(), command.email(), clock.instant());
        catalog.add(customer);
        return LinkedCustomer.unlinked(customer);
    }

    @Override
    public LinkedCustomer get(CustomerId id) {
        return catalog.find(id).orElseThrow(() -> new CustomerNotFound(id));
    }

    @Override
    public CustomerPage list(PageRequest request) {
        return catalog.list(request);
    }

    @Override
    public Optional<LinkedCustomer> findByEmail(Email email) {
        return catalog.findByEmail(email);
    }

    @Override
    public LinkedCustomer update(UpdateCustomerCommand command) {
        return change(command.id(), command.precondition(),
                current -> current.hasDetails(command.name(), command.email())
                        ? current
                        : current.change(command.name(), command.email(), clock.instant()));
    }

    @Override
    public void delete(DeleteCustomerCommand command) {
        change(command.id(), command.precondition(), current -> current.delete(clock.instant()));
    }

    private LinkedCustomer change(CustomerId id, Optional<Version> precondition,
                                  UnaryOperator<Customer> change) {
        int attempts = precondition.isPresent() ? 1 : ATTEMPTS_WITHOUT_PRECONDITION;
        for (int attempt = 1; ; attempt++) {
            LinkedCustomer current = get(id);
            Customer before = current.customer();
            precondition.filter(expected -> !expected.equals(before.version()))
                    .ifPresent(expected -> {
                        throw new StaleVersion(id, expected);
                    });
            Customer after = change.apply(before);
            if (after == before) {
                return current;
            }
            try {
                catalog.replace(after);
                return new LinkedCustomer(after, current.links());
            } catch (StaleVersion lostRace) {
                if (attempt >= attempts) {
                    throw precondition.isPresent() ? new StaleVersion(id, precondition.get()) : lostRace;
                }
            }
        }
    }
}
