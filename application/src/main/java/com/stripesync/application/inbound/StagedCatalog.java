package com.stripesync.application.inbound;

import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.inbound.CatalogSlice;
import com.stripesync.domain.inbound.CatalogWrites;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.InboundBatchStore;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.inbound.SliceRequest;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.LinkRules;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A batch's view of the catalog: the slice its events touch, locked and read in one go, changed in memory by
 * {@link EventRules} with the stored catalog's rules (unique live email ignoring case, optimistic versions,
 * tombstones, one customer per external id, the links' version rules), and written back in one go
 * ({@link #writes()}). It answers only about what it read: a question outside the slice (which the rules never
 * ask of a slice locked for their events) throws {@link IllegalStateException}, so a gap can only make the
 * batch fall back to one event at a time, never give a wrong answer. One thread, one unit of work.
 */
final class StagedCatalog implements CustomerCatalog, ExternalLinks, InboundLedger, EventRules.ChangeSink {

    private final SystemName system;
    private final Set<EventId> requestedEvents;
    private final Set<ExternalId> requestedExternalIds;
    private final Set<CustomerId> requestedCustomers;
    private final Set<String> requestedEmails;

    private final Set<EventId> processed;
    private final Map<CustomerId, Customer> customers = new LinkedHashMap<>();
    private final Map<CustomerId, Version> readVersions = new HashMap<>();
    private final Map<CustomerId, Map<SystemName, ExternalLink>> links = new HashMap<>();
    /** Live customers by normalized email, and links by (system, external id): a batch looks both up per event. */
    private final Map<String, CustomerId> liveByEmail = new HashMap<>();
    private final Map<ExternalKey, ExternalLink> byExternalId = new HashMap<>();

    private final List<EventId> newlyProcessed = new ArrayList<>();
    private final Set<CustomerId> added = new LinkedHashSet<>();
    private final Set<CustomerId> replaced = new LinkedHashSet<>();
    private final List<CatalogWrites.Change> changes = new ArrayList<>();
    private final Map<LinkKey, ExternalLink> changedLinks = new LinkedHashMap<>();

    private record LinkKey(CustomerId customer, SystemName system) {
    }

    private record ExternalKey(SystemName system, ExternalId externalId) {
    }

    private StagedCatalog(SliceRequest request, CatalogSlice slice) {
        this.system = request.system();
        this.requestedEvents = request.events();
        this.requestedExternalIds = request.externalIds();
        this.requestedCustomers = request.customerIds();
        this.requestedEmails = new HashSet<>();
        request.emails().forEach(email -> requestedEmails.add(email.normalized()));
        this.processed = new HashSet<>(slice.processed());
        for (Customer customer : slice.customers()) {
            put(customer);
            readVersions.put(customer.id(), customer.version());
        }
        for (ExternalLink link : slice.links()) {
            putLink(link);
        }
    }

    /** Locks the slice {@code events} touch: their ledger entries, customers, links and the emails they carry. */
    static StagedCatalog lock(InboundBatchStore store, SystemName system, List<ExternalCustomerEvent> events) {
        Set<EventId> ids = new HashSet<>();
        Set<ExternalId> externalIds = new HashSet<>();
        Set<CustomerId> customerIds = new HashSet<>();
        Set<Email> emails = new HashSet<>();
        for (ExternalCustomerEvent event : events) {
            ids.add(event.id());
            externalIds.add(event.externalId());
            event.state().ifPresent(state -> {
                state.localIdIfKnown().ifPresent(customerIds::add);
                Optional.ofNullable(state.email()).ifPresent(emails::add);
            });
        }
        SliceRequest request = new SliceRequest(system, ids, externalIds, customerIds, emails);
        return new StagedCatalog(request, store.lock(request));
    }

    /** Everything changed since the slice was locked, for {@link InboundBatchStore#write}. */
    CatalogWrites writes() {
        return new CatalogWrites(system, newlyProcessed,
                added.stream().map(customers::get).toList(),
                replaced.stream().map(id -> new CatalogWrites.Replacement(customers.get(id), readVersions.get(id))).toList(),
                changes, List.copyOf(changedLinks.values()));
    }

    @Override
    public boolean recordOnce(SystemName eventSystem, EventId event) {
        if (!eventSystem.equals(system) || !requestedEvents.contains(event)) {
            throw outsideSlice("event " + event + " of " + eventSystem);
        }
        if (!processed.add(event)) {
            return false;
        }
        newlyProcessed.add(event);
        return true;
    }

    @Override
    public boolean contains(SystemName eventSystem, EventId event) {
        if (!eventSystem.equals(system) || !requestedEvents.contains(event)) {
            throw outsideSlice("event " + event + " of " + eventSystem);
        }
        return processed.contains(event);
    }

    @Override
    public void append(Customer after, ChangeKind kind, ChangeOrigin origin) {
        changes.add(new CatalogWrites.Change(after, kind, origin));
    }

    @Override
    public void add(Customer customer) {
        if (customers.containsKey(customer.id()) || requestedCustomers.contains(customer.id())) {
            throw new IllegalStateException("Customer " + customer.id() + " is already stored");
        }
        if (!customer.version().equals(Version.FIRST) || customer.isDeleted()) {
            throw new IllegalArgumentException("Only a newly registered customer can be added: " + customer);
        }
        requireEmailFree(customer);
        put(customer);
        added.add(customer.id());
    }

    @Override
    public void replace(Customer next) {
        stored(next.id()).orElseThrow(() -> new CustomerNotFound(next.id())).requireReplaceableBy(next);
        if (!next.isDeleted()) {
            requireEmailFree(next);
        }
        put(next);
        if (!added.contains(next.id())) {
            replaced.add(next.id());
        }
    }

    @Override
    public Optional<LinkedCustomer> find(CustomerId id) {
        return stored(id).filter(customer -> !customer.isDeleted()).map(this::linked);
    }

    @Override
    public Optional<LinkedCustomer> findByEmail(Email email) {
        String normalized = email.normalized();
        CustomerId holder = liveByEmail.get(normalized);
        if (holder == null && !requestedEmails.contains(normalized)) {
            throw outsideSlice("an email the batch did not read");
        }
        return Optional.ofNullable(holder).map(customers::get).map(this::linked);
    }

    @Override
    public Optional<Version> currentVersion(CustomerId id) {
        return stored(id).map(Customer::version);
    }

    /** Not part of a batch: the rules never list. */
    @Override
    public CustomerPage list(PageRequest request) {
        throw new UnsupportedOperationException("a staged batch does not list customers");
    }

    @Override
    public Optional<ExternalLink> find(CustomerId customer, SystemName linkSystem) {
        requireRead(customer);
        return Optional.ofNullable(links.getOrDefault(customer, Map.of()).get(linkSystem));
    }

    @Override
    public Optional<ExternalLink> findByExternalId(SystemName linkSystem, ExternalId externalId) {
        ExternalLink holder = byExternalId.get(new ExternalKey(linkSystem, externalId));
        if (holder == null && !(linkSystem.equals(system) && requestedExternalIds.contains(externalId))) {
            throw outsideSlice("the " + linkSystem + " id " + externalId);
        }
        return Optional.ofNullable(holder);
    }

    @Override
    public void markPending(CustomerId customer, SystemName linkSystem, Version version) {
        requireStored(customer);
        store(LinkRules.pending(customer, linkSystem, find(customer, linkSystem).orElse(null)));
    }

    @Override
    public void markSynced(CustomerId customer, SystemName linkSystem, ExternalId externalId, Version version, Instant at) {
        outcome(customer, linkSystem, version, Objects.requireNonNull(externalId, "externalId"), SyncStatus.SYNCED,
                Objects.requireNonNull(at, "at"), null, false);
    }

    @Override
    public void confirmSynced(CustomerId customer, SystemName linkSystem, ExternalId externalId, Version version,
                              Instant at) {
        outcome(customer, linkSystem, version, Objects.requireNonNull(externalId, "externalId"), SyncStatus.SYNCED,
                Objects.requireNonNull(at, "at"), null, true);
    }

    @Override
    public void markFailed(CustomerId customer, SystemName linkSystem, Version version, String error, Instant at) {
        outcome(customer, linkSystem, version, null, SyncStatus.FAILED, null, Objects.requireNonNull(error, "error"), false);
    }

    @Override
    public void markConflict(CustomerId customer, SystemName linkSystem, ExternalId externalId, Version version,
                             String error, Instant at) {
        outcome(customer, linkSystem, version, Objects.requireNonNull(externalId, "externalId"), SyncStatus.CONFLICT, null,
                Objects.requireNonNull(error, "error"), true);
    }

    @Override
    public void recordEvent(CustomerId customer, SystemName linkSystem, ExternalId externalId, Instant occurredAt) {
        requireStored(customer);
        store(LinkRules.event(customer, linkSystem, find(customer, linkSystem).orElse(null), externalId, occurredAt));
    }

    @Override
    public void markDeleted(CustomerId customer, SystemName linkSystem, Version version, Instant at) {
        outcome(customer, linkSystem, version, null, SyncStatus.DELETED, Objects.requireNonNull(at, "at"), null, false);
    }

    private void outcome(CustomerId customer, SystemName linkSystem, Version version, @Nullable ExternalId externalId,
                         SyncStatus status, @Nullable Instant syncedAt, @Nullable String error,
                         boolean overSameVersion) {
        requireStored(customer);
        LinkRules.outcome(customer, linkSystem, find(customer, linkSystem).orElse(null), currentVersion(customer).orElse(null),
                version, externalId, status, syncedAt, error, overSameVersion).ifPresent(this::store);
    }

    /** Stores a link, refusing an external id another customer's link to the system holds (as the store's unique key). */
    private void store(ExternalLink link) {
        ExternalId externalId = link.externalId();
        if (externalId != null) {
            ExternalLink holder = byExternalId.get(new ExternalKey(link.system(), externalId));
            if (holder != null && !holder.customerId().equals(link.customerId())) {
                throw new IllegalStateException("The " + link.system() + " id " + externalId + " is linked to customer "
                        + holder.customerId() + "; it cannot be linked to customer " + link.customerId() + " as well");
            }
        }
        putLink(link);
        changedLinks.put(new LinkKey(link.customerId(), link.system()), link);
    }

    /** Stores a customer's state, keeping the email index to live customers. */
    private void put(Customer customer) {
        Customer before = customers.put(customer.id(), customer);
        if (before != null) {
            before.email().ifPresent(email -> liveByEmail.remove(email.normalized(), customer.id()));
        }
        if (!customer.isDeleted()) {
            customer.email().ifPresent(email -> liveByEmail.put(email.normalized(), customer.id()));
        }
    }

    /** Stores a link, keeping the external id index. */
    private void putLink(ExternalLink link) {
        ExternalLink before = links.computeIfAbsent(link.customerId(), id -> new HashMap<>()).put(link.system(), link);
        if (before != null && before.externalId() != null) {
            byExternalId.remove(new ExternalKey(before.system(), before.externalId()), before);
        }
        if (link.externalId() != null) {
            byExternalId.put(new ExternalKey(link.system(), link.externalId()), link);
        }
    }

    private Optional<Customer> stored(CustomerId id) {
        requireRead(id);
        return Optional.ofNullable(customers.get(id));
    }

    private void requireStored(CustomerId id) {
        if (stored(id).isEmpty()) {
            throw new CustomerNotFound(id);
        }
    }

    private void requireRead(CustomerId id) {
        if (!customers.containsKey(id) && !requestedCustomers.contains(id)) {
            throw outsideSlice("customer " + id);
        }
    }

    private void requireEmailFree(Customer customer) {
        customer.email().ifPresent(email -> {
            Optional<LinkedCustomer> holder = findByEmail(email);
            if (holder.isPresent() && !holder.get().customer().id().equals(customer.id())) {
                throw new EmailAlreadyInUse(email);
            }
        });
    }

    private LinkedCustomer linked(Customer customer) {
        return new LinkedCustomer(customer, links.getOrDefault(customer.id(), Map.of()));
    }

    private static IllegalStateException outsideSlice(String what) {
        return new IllegalStateException("The batch did not read " + what);
    }
}
