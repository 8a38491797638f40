package com.stripesync.testing.catalog;

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
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.LinkRules;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CustomerCatalog} in memory that keeps the rules of the PostgreSQL one, as
 * {@link com.stripesync.testing.contract.CustomerCatalogContract} holds both to them: unique email among
 * live customers ignoring case as PostgreSQL's {@code lower()} does ({@link Email#normalized()}), optimistic
 * locking on replace, deleted customers kept as tombstones and never returned, listing by createdAt then id
 * with ids compared as PostgreSQL compares UUIDs (unsigned, byte by byte). Every call is atomic. As
 * {@link ExternalLinks}, it keeps the rules of the PostgreSQL links too, including one customer per external
 * id and system.
 */
public final class InMemoryCustomerCatalog implements CustomerCatalog, ExternalLinks {

    /** The listing order; PostgreSQL orders uuid values as unsigned bytes, unlike {@link UUID#compareTo}. */
    public static final Comparator<Customer> LISTING_ORDER = Comparator.comparing(Customer::createdAt)
            .thenComparing(customer -> customer.id().value(), InMemoryCustomerCatalog::compareAsPostgres);

    private final Map<CustomerId, Customer> customers = new LinkedHashMap<>();
    private final Map<CustomerId, Map<SystemName, ExternalLink>> links = new HashMap<>();
    private final Queue<Runnable> beforeReplace = new ArrayDeque<>();
    private int replaces;

    /** Runs {@code interference} just before the next replace is applied, as if another writer got there first. */
    public synchronized void beforeNextReplace(Runnable interference) {
        beforeReplace.add(interference);
    }

    /** Another writer's change, stored as is: it neither counts as a replace nor triggers an interference. */
    public synchronized void storeConcurrentChange(Customer next) {
        customers.put(next.id(), next);
    }

    /** What is stored, tombstones included. */
    public synchronized Optional<Customer> stored(CustomerId id) {
        return Optional.ofNullable(customers.get(id));
    }

    /** How many replaces the code under test attempted. */
    public synchronized int replaces() {
        return replaces;
    }

    /** How many customers are stored, tombstones included. */
    public synchronized int size() {
        return customers.size();
    }

    @Override
    public synchronized void add(Customer customer) {
        if (customers.containsKey(customer.id())) {
            throw new IllegalStateException("Customer " + customer.id() + " is already stored");
        }
        if (!customer.version().equals(Version.FIRST) || customer.isDeleted()) {
            throw new IllegalArgumentException("Only a newly registered customer can be added: " + customer);
        }
        requireEmailFree(customer);
        customers.put(customer.id(), customer);
    }

    @Override
    public synchronized void replace(Customer next) {
        Runnable interference = beforeReplace.poll();
        if (interference != null) {
            interference.run();
        }
        replaces++;
        if (next.version().equals(Version.FIRST)) {
            throw new IllegalArgumentException("A replacement is never a first version: " + next);
        }
        Customer current = customers.get(next.id());
        if (current == null) {
            throw new CustomerNotFound(next.id());
        }
        current.requireReplaceableBy(next);
        if (!next.isDeleted()) {
            requireEmailFree(next);
        }
        customers.put(next.id(), next);
    }

    /**
     * Stores {@code next} (any number of versions on) while the stored customer is still at {@code readVersion},
     * as a batch writes what it changed: like {@link #replace}, it counts as a replace and runs a pending
     * interference first.
     */
    public synchronized void replaceFrom(Customer next, Version readVersion) {
        Runnable interference = beforeReplace.poll();
        if (interference != null) {
            interference.run();
        }
        replaces++;
        Customer current = customers.get(next.id());
        if (current == null) {
            throw new CustomerNotFound(next.id());
        }
        if (!current.version().equals(readVersion)) {
            throw new StaleVersion(next.id(), readVersion);
        }
        if (!next.isDeleted()) {
            requireEmailFree(next);
        }
        customers.put(next.id(), next);
    }

    /** Stores a customer new to the catalog at whatever version a batch brought it to. */
    public synchronized void addFrom(Customer customer) {
        if (customers.containsKey(customer.id())) {
            throw new IllegalStateException("Customer " + customer.id() + " is already stored");
        }
        requireEmailFree(customer);
        customers.put(customer.id(), customer);
    }

    @Override
    public synchronized Optional<LinkedCustomer> find(CustomerId id) {
        return Optional.ofNullable(customers.get(id))
                .filter(customer -> !customer.isDeleted())
                .map(this::linked);
    }

    @Override
    public synchronized Optional<LinkedCustomer> findByEmail(Email email) {
        return live().filter(customer -> customer.email().filter(email::sameAddressAs).isPresent())
                .findFirst()
                .map(this::linked);
    }

    @Override
    public synchronized Optional<Version> currentVersion(CustomerId id) {
        return Optional.ofNullable(customers.get(id)).map(Customer::version);
    }

    @Override
    public synchronized CustomerPage list(PageRequest request) {
        List<Customer> after = live()
                .filter(customer -> request.cursor().map(cursor -> isAfter(customer, cursor)).orElse(true))
                .sorted(LISTING_ORDER)
                .limit(request.limit() + 1L)
                .toList();
        if (after.size() <= request.limit()) {
            return new CustomerPage(after.stream().map(this::linked).toList(), null);
        }
        List<Customer> page = after.subList(0, request.limit());
        return new CustomerPage(page.stream().map(this::linked).toList(), PageCursor.after(page.getLast()));
    }

    @Override
    public synchronized Optional<ExternalLink> find(CustomerId customer, SystemName system) {
        return Optional.ofNullable(links.getOrDefault(customer, Map.of()).get(system));
    }

    @Override
    public synchronized void markPending(CustomerId customer, SystemName system, Version version) {
        link(LinkRules.pending(customer, system, find(customer, system).orElse(null)));
    }

    @Override
    public synchronized Optional<ExternalLink> findByExternalId(SystemName system, ExternalId externalId) {
        return links.values().stream()
                .map(bySystem -> bySystem.get(system))
                .filter(link -> link != null && externalId.equals(link.externalId()))
                .findFirst();
    }

    @Override
    public synchronized void markConflict(CustomerId customer, SystemName system, ExternalId externalId, Version version,
                                          String error, Instant at) {
        outcome(customer, system, version, externalId, SyncStatus.CONFLICT, null, error, true);
    }

    @Override
    public synchronized void recordEvent(CustomerId customer, SystemName system, ExternalId externalId,
                                         Instant occurredAt) {
        link(LinkRules.event(customer, system, find(customer, system).orElse(null), externalId, occurredAt));
    }

    @Override
    public synchronized void markSynced(CustomerId customer, SystemName system, ExternalId externalId, Version version,
                                        Instant at) {
        outcome(customer, system, version, externalId, SyncStatus.SYNCED, at, null, false);
    }

    @Override
    public synchronized void confirmSynced(CustomerId customer, SystemName system, ExternalId externalId, Version version,
                                           Instant at) {
        outcome(customer, system, version, externalId, SyncStatus.SYNCED, at, null, true);
    }

    @Override
    public synchronized void markFailed(CustomerId customer, SystemName system, Version version, String error,
                                        Instant at) {
        outcome(customer, system, version, null, SyncStatus.FAILED, null, error, false);
    }

    @Override
    public synchronized void markDeleted(CustomerId customer, SystemName system, Version version, Instant at) {
        outcome(customer, system, version, null, SyncStatus.DELETED, at, null, false);
    }

    private void outcome(CustomerId customer, SystemName system, Version version, @Nullable ExternalId externalId,
                         SyncStatus status, @Nullable Instant syncedAt, @Nullable String error,
                         boolean overSameVersion) {
        LinkRules.outcome(customer, system, find(customer, system).orElse(null), currentVersion(customer).orElse(null),
                version, externalId, status, syncedAt, error, overSameVersion).ifPresent(this::link);
    }

    /**
     * Records (or replaces) a customer's link to one system, as the sync would. Like the database's unique key,
     * refuses an external id that another customer's link to the same system holds.
     */
    public synchronized void link(ExternalLink link) {
        if (!customers.containsKey(link.customerId())) {
            throw new CustomerNotFound(link.customerId());
        }
        ExternalId externalId = link.externalId();
        if (externalId != null) {
            findByExternalId(link.system(), externalId)
                    .filter(holder -> !holder.customerId().equals(link.customerId()))
                    .ifPresent(holder -> {
                        throw new IllegalStateException("The " + link.system() + " id " + externalId
                                + " is linked to customer " + holder.customerId() + "; it cannot be linked to customer "
                                + link.customerId() + " as well");
                    });
        }
        links.computeIfAbsent(link.customerId(), id -> new HashMap<>()).put(link.system(), link);
    }

    /** Every link of the customer, a deleted one's included. */
    public synchronized List<ExternalLink> linksOf(CustomerId customer) {
        return List.copyOf(links.getOrDefault(customer, Map.of()).values());
    }

    /** Every stored customer, tombstones included, by id: compare two of these to see that nothing changed. */
    public synchronized Map<CustomerId, Customer> contents() {
        return Map.copyOf(customers);
    }

    private Stream<Customer> live() {
        return customers.values().stream().filter(customer -> !customer.isDeleted());
    }

    private LinkedCustomer linked(Customer customer) {
        return new LinkedCustomer(customer, links.getOrDefault(customer.id(), Map.of()));
    }

    private void requireEmailFree(Customer customer) {
        customer.email().ifPresent(email -> live()
                .filter(other -> !other.id().equals(customer.id()))
                .filter(other -> other.email().filter(email::sameAddressAs).isPresent())
                .findAny()
                .ifPresent(other -> {
                    throw new EmailAlreadyInUse(email);
                }));
    }

    private static boolean isAfter(Customer customer, PageCursor cursor) {
        int byTime = customer.createdAt().compareTo(cursor.createdAt());
        return byTime > 0 || byTime == 0 && compareAsPostgres(customer.id().value(), cursor.id().value()) > 0;
    }

    private static int compareAsPostgres(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
