package com.stripesync.testing.catalog;

import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.inbound.CatalogSlice;
import com.stripesync.domain.inbound.CatalogWrites;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundBatchStore;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.inbound.SliceRequest;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SystemName;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * {@link InboundBatchStore} over the in-memory catalog, outbox and ledger, for tests of the core: reads the
 * slice as the PostgreSQL store does (customers by id, tombstones included, by linked external id, live ones by
 * email ignoring case, with all their links) and writes with its checks (stale versions, taken emails, ledger
 * duplicates). Locks nothing: the fakes are for one writer at a time.
 */
public final class InMemoryInboundBatchStore implements InboundBatchStore {

    private final InMemoryCustomerCatalog catalog;
    private final ChangeOutbox outbox;
    private final InboundLedger ledger;
    private final BiPredicate<SystemName, EventId> recorded;
    private int locks;
    private int writes;

    public InMemoryInboundBatchStore(InMemoryCustomerCatalog catalog, ChangeOutbox outbox, InMemoryInboundLedger ledger) {
        this(catalog, outbox, ledger, ledger::contains);
    }

    /** @param recorded whether {@code ledger} holds an event, asked without recording it */
    public InMemoryInboundBatchStore(InMemoryCustomerCatalog catalog, ChangeOutbox outbox, InboundLedger ledger,
                                     BiPredicate<SystemName, EventId> recorded) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.recorded = Objects.requireNonNull(recorded, "recorded");
    }

    @Override
    public synchronized CatalogSlice lock(SliceRequest request) {
        locks++;
        Set<CustomerId> ids = new HashSet<>(request.customerIds());
        request.externalIds().forEach(id -> catalog.findByExternalId(request.system(), id).ifPresent(link -> ids.add(link.customerId())));
        Set<String> emails = request.emails().stream().map(Email::normalized)
                .collect(Collectors.toSet());
        Map<CustomerId, Customer> found = new LinkedHashMap<>();
        catalog.contents().values().forEach(customer -> {
            boolean byEmail = !customer.isDeleted()
                    && customer.email().map(Email::normalized).filter(emails::contains).isPresent();
            if (ids.contains(customer.id()) || byEmail) {
                found.put(customer.id(), customer);
            }
        });
        List<ExternalLink> links = found.keySet().stream().flatMap(id -> catalog.linksOf(id).stream()).toList();
        Set<EventId> processed = request.events().stream().filter(event -> recorded.test(request.system(), event))
                .collect(Collectors.toSet());
        return new CatalogSlice(processed, List.copyOf(found.values()), links);
    }

    @Override
    public synchronized void write(CatalogWrites batch) {
        writes++;
        for (EventId event : batch.processed()) {
            if (!ledger.recordOnce(batch.system(), event)) {
                throw new IllegalStateException("Event " + event + " of " + batch.system() + " was applied concurrently");
            }
        }
        batch.added().forEach(catalog::addFrom);
        batch.replaced().forEach(replacement -> catalog.replaceFrom(replacement.next(), replacement.readVersion()));
        batch.changes().forEach(change -> outbox.append(change.after(), change.kind(), change.origin()));
        batch.links().forEach(catalog::link);
    }

    /** How many slices were locked, and batches written: a batch of events locks and writes once. */
    public synchronized int locks() {
        return locks;
    }

    public synchronized int writes() {
        return writes;
    }
}
