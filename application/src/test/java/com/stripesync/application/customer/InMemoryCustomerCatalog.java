package com.stripesync.application.customer;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.PageCursor;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.link.LinkedCustomer;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.stream.Stream;

/**
 * The catalog's rules over a map, for use-case tests: optimistic locking on the previous version, emails
 * unique among live customers ignoring case, tombstones kept but never found. A test can slip a
 * concurrent writer in right before the next {@link #replace}.
 */
final class InMemoryCustomerCatalog implements CustomerCatalog {

    private final Map<CustomerId, Customer> stored = new HashMap<>();
    private final Queue<Runnable> beforeReplace = new ArrayDeque<>();
    private int replaces;

    /** Runs {@code interference} just before the next replace is applied, as if another writer got there first. */
    void beforeNextReplace(Runnable interference) {
        beforeReplace.add(interference);
    }

    /** Another writer's change, stored as is: it neither counts as a replace nor triggers an interference. */
    synchronized void storeConcurrentChange(Customer next) {
        stored.put(next.id(), next);
    }

    /** What is stored, tombstones included. */
    Optional<Customer> stored(CustomerId id) {
        return Optional.ofNullable(stored.get(id));
    }

    /** How many replaces the code under test attempted. */
    int replaces() {
        return replaces;
    }

    int size() {
        return stored.size();
    }

    @Override
    public synchronized void add(Customer customer) {
        requireEmailFree(customer);
        if (stored.putIfAbsent(customer.id(), customer) != null) {
            throw new IllegalStateException("duplicate id " + customer.id());
        }
    }

    @Override
    public synchronized void replace(Customer next) {
        Runnable interference = beforeReplace.poll();
        if (interference != null) {
            interference.run();
        }
        replaces++;
        Customer current = stored.get(next.id());
        if (current == null || current.isDeleted()) {
            throw new CustomerNotFound(next.id());
        }
        if (!current.version().equals(next.version().previous())) {
            throw new StaleVersion(next.id(), next.version().previous());
        }
        if (!next.isDeleted()) {
            requireEmailFree(next);
        }
        stored.put(next.id(), next);
    }

    @Override
    public synchronized Optional<LinkedCustomer> find(CustomerId id) {
        return live().filter(customer -> customer.id().equals(id)).findFirst().map(LinkedCustomer::unlinked);
    }

    @Override
    public synchronized Optional<LinkedCustomer> findByEmail(Email email) {
        return live().filter(customer -> customer.email().filter(email::sameAddressAs).isPresent())
                .findFirst().map(LinkedCustomer::unlinked);
    }

    @Override
    public synchronized CustomerPage list(PageRequest request) {
        List<Customer> after = live()
                .sorted(Comparator.comparing(Customer::createdAt).thenComparing(c -> c.id().toString()))
                .filter(customer -> request.cursor().map(cursor -> isAfter(customer, cursor)).orElse(true))
                .toList();
        List<Customer> page = after.stream().limit(request.limit()).toList();
        PageCursor next = after.size() > request.limit() ? PageCursor.after(page.getLast()) : null;
        return new CustomerPage(page.stream().map(LinkedCustomer::unlinked).toList(), next);
    }

    private static boolean isAfter(Customer customer, PageCursor cursor) {
        int byTime = customer.createdAt().compareTo(cursor.createdAt());
        return byTime > 0 || byTime == 0 && customer.id().toString().compareTo(cursor.id().toString()) > 0;
    }

    private Stream<Customer> live() {
        return stored.values().stream().filter(customer -> !customer.isDeleted());
    }

    private void requireEmailFree(Customer customer) {
        customer.email().ifPresent(email -> {
            boolean taken = live().anyMatch(other -> !other.id().equals(customer.id())
                    && other.email().filter(email::sameAddressAs).isPresent());
            if (taken) {
                throw new EmailAlreadyInUse(email);
            }
        });
    }
}
