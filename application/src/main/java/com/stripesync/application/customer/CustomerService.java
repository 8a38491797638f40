package com.stripesync.application.customer;

import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The customer use cases over the local catalog. Every change is written together with its outbox record
 * and a PENDING mark for each external system it must reach, in one unit of work: no change is stored
 * without being queued for sync, and none is queued that was not stored.
 */
public final class CustomerService
        implements RegisterCustomer, GetCustomer, ListCustomers, UpdateCustomer, DeleteCustomer {

    /** Without a caller's precondition, a change that lost a race is re-applied on the newer version. */
    private static final int ATTEMPTS_WITHOUT_PRECONDITION = 5;

    private final CustomerCatalog catalog;
    private final ChangeOutbox outbox;
    private final ExternalLinks links;
    private final UnitOfWork unitOfWork;
    private final Set<SystemName> syncTargets;
    private final Clock clock;

    /**
     * @param syncTargets the external systems every local change must reach (a system whose worker is
     *                    paused still gets its changes queued as PENDING)
     */
    public CustomerService(CustomerCatalog catalog, ChangeOutbox outbox, ExternalLinks links, UnitOfWork unitOfWork,
                           Set<SystemName> syncTargets, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.links = Objects.requireNonNull(links, "links");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.syncTargets = Set.copyOf(syncTargets);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public LinkedCustomer register(RegisterCustomerCommand command) {
        Customer customer = Customer.register(command.name(), command.email(), clock.instant());
        unitOfWork.run(() -> {
            catalog.add(customer);
            queueForSync(customer, ChangeKind.CREATED);
        });
        return get(customer.id());
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

    private void queueForSync(Customer after, ChangeKind kind) {
        outbox.append(after, kind, ChangeOrigin.LOCAL);
        for (SystemName system : syncTargets) {
            links.markPending(after.id(), system, after.version());
        }
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
                unitOfWork.run(() -> {
                    catalog.replace(after);
                    queueForSync(after, after.isDeleted() ? ChangeKind.DELETED : ChangeKind.UPDATED);
                });
                return after.isDeleted() ? new LinkedCustomer(after, current.links()) : get(id);
            } catch (StaleVersion lostRace) {
                if (attempt >= attempts) {
                    throw precondition.isPresent() ? new StaleVersion(id, precondition.get()) : lostRace;
                }
            }
        }
    }
}
