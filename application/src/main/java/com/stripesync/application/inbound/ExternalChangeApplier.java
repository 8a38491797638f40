package com.stripesync.application.inbound;

import com.stripesync.application.sync.ChangeSynchronizer;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.InvalidCustomerException;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.ExternalEventKind;
import com.stripesync.domain.inbound.InboundEventParser;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.inbound.UnreadableEvent;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.transaction.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Applies one system's customer events to the local catalog. In one unit of work per event: the ledger
 * entry (a duplicate changes nothing), the catalog change, its outbox record (origin: that system, so
 * its worker never sends it back, while other systems receive it), and the link. The rules:
 * <ul>
 *   <li><b>Order:</b> an event older than the last one applied to that customer is stale and ignored.
 *       Events carry whole seconds: on a tie the customer is fetched from the system and its current
 *       state applied, so two updates in one second end with the system's latest state in either order.</li>
 *   <li><b>Echoes:</b> an event caused by one of our own writes (its request carries our idempotency key)
 *       changes nothing locally and triggers no call; if our worker has not recorded the external id yet
 *       (the webhook beat the API answer), the link learns it from the event.</li>
 *   <li><b>Matching:</b> a customer is found by its link, else by our id in the system's metadata, else
 *       by email among customers not linked to the system (then linked). An email that belongs to a
 *       customer linked to another external customer is a conflict: the external customer is imported
 *       without that email and its link is marked CONFLICT, naming the clash.</li>
 *   <li><b>Values:</b> a name or email absent on the other side never clears ours; a customer without
 *       a name is imported under its email (else its external id).</li>
 *   <li><b>Deletes:</b> a deletion deletes the local customer (a tombstone) and marks the link DELETED;
 *       nothing resurrects a deleted customer.</li>
 * </ul>
 */
public final class ExternalChangeApplier implements ApplyExternalChange, HandleInboundEvent {

    private static final Duration CATALOG_RETRY = Duration.ofSeconds(2);
    private static final Duration RACE_RETRY = Duration.ofMillis(100);
    private static final InboundOutcome ALREADY_EQUAL = new InboundOutcome.Ignored("already equal");

    private final InboundEventParser parser;
    private final ExternalSystemPort system;
    private final CustomerCatalog catalog;
    private final ExternalLinks links;
    private final ChangeOutbox outbox;
    private final InboundLedger ledger;
    private final UnitOfWork unitOfWork;
    private final Set<SystemName> otherTargets;
    private final Clock clock;

    /** @param syncTargets every system local changes go to; the event's own system is left out of it here */
    public ExternalChangeApplier(InboundEventParser parser, ExternalSystemPort system, CustomerCatalog catalog,
                                 ExternalLinks links, ChangeOutbox outbox, InboundLedger ledger, UnitOfWork unitOfWork,
                                 Set<SystemName> syncTargets, Clock clock) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.system = Objects.requireNonNull(system, "system");
        if (!parser.system().equals(system.name())) {
            throw new IllegalArgumentException("parser for " + parser.system() + ", port for " + system.name());
        }
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.links = Objects.requireNonNull(links, "links");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.otherTargets = syncTargets.stream().filter(target -> !target.equals(system.name()))
                .collect(Collectors.toUnmodifiableSet());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public InboundOutcome handle(byte[] payload) {
        Optional<ExternalCustomerEvent> event;
        try {
            event = parser.parse(payload);
        } catch (UnreadableEvent e) {
            return new InboundOutcome.Rejected(e.getMessage() == null ? "unreadable event" : e.getMessage());
        }
        return event.map(this::apply).orElseGet(() -> new InboundOutcome.Ignored("not a customer event we handle"));
    }

    @Override
    public InboundOutcome apply(ExternalCustomerEvent event) {
        if (!event.system().equals(system.name())) {
            throw new IllegalArgumentException("an event of " + event.system() + " given to the applier of " + system.name());
        }
        try {
            Optional<ExternalLink> known = links.findByExternalId(system.name(), event.externalId());
            if (isStale(known, event)) {
                return unitOfWork.inTransaction(() -> ledger.recordOnce(system.name(), event.id())
                        ? new InboundOutcome.Ignored("stale: a later event was applied already")
                        : new InboundOutcome.Ignored("duplicate"));
            }
            // An echo changes nothing, so it needs no current state: it costs no call, tie or not.
            Target target = isTie(known, event) && !isOwnWrite(event) ? refetched(event) : Target.of(event);
            return unitOfWork.inTransaction(() -> applyOnce(event, target));
        } catch (CatalogUnavailable e) {
            return new InboundOutcome.Deferred(CATALOG_RETRY, "the catalog is unavailable");
        } catch (ExternalSystemUnavailable e) {
            return new InboundOutcome.Deferred(e.retryAfter().orElse(CATALOG_RETRY), e.getMessage());
        } catch (StaleVersion | EmailAlreadyInUse e) {
            // A local write raced this event: apply it again on the new state.
            return new InboundOutcome.Deferred(RACE_RETRY, "a concurrent local change: " + e.getMessage());
        }
    }

    /** What the event says the customer is now: its state, or deleted. */
    private record Target(@Nullable ExternalCustomer state, boolean deleted) {

        static Target of(ExternalCustomerEvent event) {
            boolean deleted = event.kind() == ExternalEventKind.DELETED;
            return new Target(deleted ? null : event.state().orElse(null), deleted || event.state().isEmpty());
        }
    }

    private Target refetched(ExternalCustomerEvent event) {
        Optional<ExternalCustomer> current = system.fetch(event.externalId());
        return new Target(current.orElse(null), current.isEmpty());
    }

    private static boolean isStale(Optional<ExternalLink> link, ExternalCustomerEvent event) {
        return link.flatMap(ExternalLink::lastEvent).filter(last -> event.occurredAt().isBefore(last)).isPresent();
    }

    private static boolean isTie(Optional<ExternalLink> link, ExternalCustomerEvent event) {
        return link.flatMap(ExternalLink::lastEvent).filter(last -> event.occurredAt().equals(last)).isPresent();
    }

    private static boolean isOwnWrite(ExternalCustomerEvent event) {
        return event.causedByRequest().filter(key -> key.startsWith(ChangeSynchronizer.OWN_KEY_PREFIX)).isPresent();
    }

    private InboundOutcome applyOnce(ExternalCustomerEvent event, Target target) {
        SystemName name = system.name();
        if (!ledger.recordOnce(name, event.id())) {
            return new InboundOutcome.Ignored("duplicate");
        }
        Optional<ExternalLink> link = links.findByExternalId(name, event.externalId());
        if (isStale(link, event)) {
            return new InboundOutcome.Ignored("stale: a later event was applied already");
        }
        if (isOwnWrite(event)) {
            return echo(event, link);
        }
        Optional<CustomerId> ours = link.isPresent() ? Optional.empty() : ourIdIn(target);
        Optional<CustomerId> local = link.map(ExternalLink::customerId).or(() -> ours);
        if (target.deleted()) {
            return local.map(id -> deleteLocal(event, id)).orElseGet(() -> new InboundOutcome.Ignored(
                    "deleted a customer never known here"));
        }
        ExternalCustomer state = Objects.requireNonNull(target.state());
        if (local.isPresent()) {
            InboundOutcome updated = updateLocal(event, local.get(), state);
            return ours.isPresent() ? linked(updated, "linked by our id") : updated;
        }
        return importOrMatch(event, state);
    }

    private Optional<CustomerId> ourIdIn(Target target) {
        return Optional.ofNullable(target.state()).flatMap(ExternalCustomer::localIdIfKnown)
                .filter(id -> catalog.currentVersion(id).isPresent());
    }

    private InboundOutcome echo(ExternalCustomerEvent event, Optional<ExternalLink> link) {
        if (link.isEmpty()) {
            Optional<CustomerId> ours = event.state().flatMap(ExternalCustomer::localIdIfKnown)
                    .filter(id -> catalog.currentVersion(id).isPresent());
            ours.ifPresent(id -> links.recordEvent(id, system.name(), event.externalId(), event.occurredAt()));
        } else {
            links.recordEvent(link.get().customerId(), system.name(), event.externalId(), event.occurredAt());
        }
        return new InboundOutcome.Ignored("our own write, echoed back");
    }

    private InboundOutcome deleteLocal(ExternalCustomerEvent event, CustomerId id) {
        SystemName name = system.name();
        Instant now = clock.instant();
        links.recordEvent(id, name, event.externalId(), event.occurredAt());
        Optional<LinkedCustomer> live = catalog.find(id);
        if (live.isEmpty()) {
            catalog.currentVersion(id).ifPresent(version -> links.markDeleted(id, name, version, now));
            return new InboundOutcome.Ignored("already deleted here");
        }
        Customer deleted = live.get().customer().delete(now);
        catalog.replace(deleted);
        queue(deleted, ChangeKind.DELETED);
        links.markDeleted(id, name, deleted.version(), now);
        return new InboundOutcome.Applied("deleted");
    }

    private InboundOutcome updateLocal(ExternalCustomerEvent event, CustomerId id, ExternalCustomer state) {
        SystemName name = system.name();
        Instant now = clock.instant();
        links.recordEvent(id, name, event.externalId(), event.occurredAt());
        Optional<LinkedCustomer> live = catalog.find(id);
        if (live.isEmpty()) {
            return new InboundOutcome.Ignored("deleted here; an event from " + name + " does not bring it back");
        }
        Customer current = live.get().customer();
        CustomerName newName = state.name() != null ? state.name() : current.name();
        Email newEmail = state.email() != null ? state.email() : current.email().orElse(null);
        if (current.hasDetails(newName, newEmail)) {
            links.markSynced(id, name, event.externalId(), current.version(), now);
            return ALREADY_EQUAL;
        }
        if (newEmail != null && !current.email().filter(newEmail::sameAddressAs).isPresent()
                && catalog.findByEmail(newEmail).filter(other -> !other.customer().id().equals(id)).isPresent()) {
            links.markConflict(id, name, event.externalId(), current.version(), "the email " + newEmail.value()
                    + " set in " + name + " belongs to another customer here; resolve it on either side", now);
            return new InboundOutcome.Conflict("email taken by another customer");
        }
        Customer changed = current.change(newName, newEmail, now);
        catalog.replace(changed);
        queue(changed, ChangeKind.UPDATED);
        links.markSynced(id, name, event.externalId(), changed.version(), now);
        return new InboundOutcome.Applied("updated");
    }

    /** A customer just linked to the system's customer, whose values it already had, counts as applied: it is linked now. */
    private static InboundOutcome linked(InboundOutcome updated, String how) {
        return updated.equals(ALREADY_EQUAL) ? new InboundOutcome.Applied(how) : updated;
    }

    private InboundOutcome importOrMatch(ExternalCustomerEvent event, ExternalCustomer state) {
        SystemName name = system.name();
        Optional<LinkedCustomer> sameEmail = Optional.ofNullable(state.email()).flatMap(catalog::findByEmail);
        if (sameEmail.isPresent()) {
            Optional<ExternalId> linkedTo = Optional.ofNullable(sameEmail.get().links().get(name))
                    .flatMap(ExternalLink::externalIdIfKnown);
            if (linkedTo.isEmpty()) {
                return linked(updateLocal(event, sameEmail.get().customer().id(), state), "linked by email");
            }
            Customer imported = register(state, null);
            links.recordEvent(imported.id(), name, event.externalId(), event.occurredAt());
            links.markConflict(imported.id(), name, event.externalId(), imported.version(), "imported without its email "
                    + Objects.requireNonNull(state.email()).value() + ": customer " + sameEmail.get().customer().id()
                    + " has it and is linked to " + linkedTo.get().value() + " in " + name, clock.instant());
            return new InboundOutcome.Conflict("email belongs to a customer linked to another " + name + " customer");
        }
        Customer imported = register(state, state.email());
        links.recordEvent(imported.id(), name, event.externalId(), event.occurredAt());
        links.markSynced(imported.id(), name, event.externalId(), imported.version(), clock.instant());
        return new InboundOutcome.Applied("imported");
    }

    private Customer register(ExternalCustomer state, @Nullable Email email) {
        Customer customer = Customer.register(nameFor(state), email, clock.instant());
        catalog.add(customer);
        queue(customer, ChangeKind.CREATED);
        return customer;
    }

    /** Our customers need a name; one without takes its email, else its external id. */
    private static CustomerName nameFor(ExternalCustomer state) {
        if (state.name() != null) {
            return state.name();
        }
        if (state.email() != null) {
            try {
                return new CustomerName(state.email().value());
            } catch (InvalidCustomerException tooLong) {
                // An email longer than a name may be: fall back to the id.
            }
        }
        return new CustomerName(state.id().value());
    }

    private void queue(Customer after, ChangeKind kind) {
        outbox.append(after, kind, ChangeOrigin.from(system.name()));
        for (SystemName target : otherTargets) {
            links.markPending(after.id(), target, after.version());
        }
    }
}
