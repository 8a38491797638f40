package com.stripesync.application.inbound;

import com.stripesync.application.sync.ChangeSynchronizer;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.InvalidCustomerException;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.ExternalEventKind;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalCustomer;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules that apply one event to a catalog, given what the event says the customer is now
 * ({@link Target}); {@link ExternalChangeApplier} documents them. They read and write only through the ports
 * given here: the real catalog inside a unit of work per event, or a {@link StagedCatalog} for a batch.
 */
final class EventRules {

    private static final InboundOutcome ALREADY_EQUAL = new InboundOutcome.Ignored("already equal");

    /** Where the outbox records of the changes go. */
    interface ChangeSink {
        void append(Customer after, ChangeKind kind, ChangeOrigin origin);
    }

    /**
     * What the customer is now: its state, or deleted; as the event says ({@link #of}) or as the system was
     * asked ({@link #fetched}).
     */
    record Target(@Nullable ExternalCustomer state, boolean deleted, boolean isFetched) {

        static Target of(ExternalCustomerEvent event) {
            boolean deleted = event.kind() == ExternalEventKind.DELETED;
            return new Target(deleted ? null : event.state().orElse(null), deleted || event.state().isEmpty(), false);
        }

        /** The system's current state: {@code current} empty when the customer is gone there. */
        static Target fetched(Optional<ExternalCustomer> current) {
            return new Target(current.orElse(null), current.isEmpty(), true);
        }
    }

    private final SystemName system;
    private final CustomerCatalog catalog;
    private final ExternalLinks links;
    private final ChangeSink outbox;
    private final InboundLedger ledger;
    private final Set<SystemName> otherTargets;
    private final Clock clock;

    EventRules(SystemName system, CustomerCatalog catalog, ExternalLinks links, ChangeSink outbox, InboundLedger ledger,
               Set<SystemName> otherTargets, Clock clock) {
        this.system = system;
        this.catalog = catalog;
        this.links = links;
        this.outbox = outbox;
        this.ledger = ledger;
        this.otherTargets = otherTargets;
        this.clock = clock;
    }

    static boolean isStale(Optional<ExternalLink> link, ExternalCustomerEvent event) {
        return link.flatMap(ExternalLink::lastEvent).filter(last -> event.occurredAt().isBefore(last)).isPresent();
    }

    static boolean isTie(Optional<ExternalLink> link, ExternalCustomerEvent event) {
        return link.flatMap(ExternalLink::lastEvent).filter(last -> event.occurredAt().equals(last)).isPresent();
    }

    static boolean isOwnWrite(ExternalCustomerEvent event) {
        return event.causedByRequest().filter(key -> key.startsWith(ChangeSynchronizer.OWN_KEY_PREFIX)).isPresent();
    }

    /**
     * Whether the event is our own write echoed back with values the customer no longer has here while nothing of
     * ours waits to reach the system (the link is SYNCED). Then the system may hold a state that is neither: someone
     * edited the customer there, that edit was applied here, and our write, sent before, landed after it. Only the
     * system's current state tells, so such an echo is applied with it ({@link Target#fetched}).
     */
    boolean echoDisagrees(Optional<ExternalLink> link, ExternalCustomerEvent event) {
        if (!isOwnWrite(event) || event.kind() == ExternalEventKind.DELETED || event.state().isEmpty()
                || link.filter(known -> known.status() == SyncStatus.SYNCED).isEmpty() || isStale(link, event)) {
            return false;
        }
        ExternalCustomer shown = event.state().get();
        return catalog.find(link.get().customerId()).map(LinkedCustomer::customer)
                .filter(current -> !holds(current, shown)).isPresent();
    }

    /** Whether {@code current} has the values {@code state} shows; a value absent there never clears ours. */
    private static boolean holds(Customer current, ExternalCustomer state) {
        return current.hasDetails(newName(current, state), newEmail(current, state));
    }

    private static CustomerName newName(Customer current, ExternalCustomer state) {
        return state.name() != null ? state.name() : current.name();
    }

    private static @Nullable Email newEmail(Customer current, ExternalCustomer state) {
        return state.email() != null ? state.email() : current.email().orElse(null);
    }

    /** Records the event in the ledger and applies it to {@code target}, unless it is a duplicate or stale. */
    InboundOutcome applyOnce(ExternalCustomerEvent event, Target target) {
        SystemName name = system;
        if (!ledger.recordOnce(name, event.id())) {
            return new InboundOutcome.Ignored("duplicate");
        }
        Optional<ExternalLink> link = links.findByExternalId(name, event.externalId());
        if (isStale(link, event)) {
            return new InboundOutcome.Ignored("stale: a later event was applied already");
        }
        if (isOwnWrite(event) && !target.isFetched()) {
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
            ours.ifPresent(id -> links.recordEvent(id, system, event.externalId(), event.occurredAt()));
        } else {
            links.recordEvent(link.get().customerId(), system, event.externalId(), event.occurredAt());
        }
        return new InboundOutcome.Ignored("our own write, echoed back");
    }

    private InboundOutcome deleteLocal(ExternalCustomerEvent event, CustomerId id) {
        SystemName name = system;
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
        SystemName name = system;
        Instant now = clock.instant();
        links.recordEvent(id, name, event.externalId(), event.occurredAt());
        Optional<LinkedCustomer> live = catalog.find(id);
        if (live.isEmpty()) {
            return new InboundOutcome.Ignored("deleted here; an event from " + name + " does not bring it back");
        }
        Customer current = live.get().customer();
        if (holds(current, state)) {
            links.confirmSynced(id, name, event.externalId(), current.version(), now);
            return ALREADY_EQUAL;
        }
        CustomerName newName = newName(current, state);
        Email newEmail = newEmail(current, state);
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
        SystemName name = system;
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

    /**
     * Records the change for every other system the catalog syncs with. With none there is nobody to tell (the
     * system it came from never gets it back), so nothing is recorded: no outbox row, no relay, no Kafka record.
     */
    private void queue(Customer after, ChangeKind kind) {
        if (otherTargets.isEmpty()) {
            return;
        }
        outbox.append(after, kind, ChangeOrigin.from(system));
        for (SystemName target : otherTargets) {
            links.markPending(after.id(), target, after.version());
        }
    }
}
