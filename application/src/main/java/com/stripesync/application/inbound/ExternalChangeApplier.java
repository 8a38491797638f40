package com.stripesync.application.inbound;

import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.InboundEventParser;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.inbound.UnreadableEvent;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.application.inbound.EventRules.Target;
import com.stripesync.domain.inbound.InboundBatchStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies one system's customer events to the local catalog: for each event, in one unit of work, the ledger
 * entry (a duplicate changes nothing), the catalog change, its outbox record (origin: that system, so
 * its worker never sends it back, while other systems receive it), and the link.
 *
 * <p>{@link #applyAll} applies a batch of events in one unit of work: it locks what they touch in a few
 * statements ({@link InboundBatchStore#lock}), applies the same rules to that slice in memory, event after
 * event in the given order, and writes the result in a few batched statements. What a batch cannot settle on
 * its own goes the one-by-one way after it commits: an event that needs the system's current state (a tie) and
 * the later events of its customer, and every event of a batch that failed (a local write raced it). So each
 * customer's events are applied in order, and each event once. The rules:
 * <ul>
 *   <li><b>Order:</b> an event older than the last one applied to that customer is stale and ignored.
 *       Events carry whole seconds: on a tie the customer is fetched from the system and its current
 *       state applied, so two updates in one second end with the system's latest state in either order.</li>
 *   <li><b>Echoes:</b> an event caused by one of our own writes (its request carries our idempotency key)
 *       changes nothing locally and triggers no call; if our worker has not recorded the external id yet
 *       (the webhook beat the API answer), the link learns it from the event. An echo showing values the
 *       customer no longer has while nothing of ours waits to reach the system is applied with the system's
 *       current state instead ({@link EventRules#echoDisagrees}): our write may have landed after an edit made
 *       there that was applied here meanwhile.</li>
 *   <li><b>Conflicts:</b> an update that would give the customer an email another local customer has changes
 *       nothing and marks the link CONFLICT; an event showing the customer's own values again marks it SYNCED.</li>
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
public final class ExternalChangeApplier implements ApplyExternalChange, HandleInboundEvent, HandleInboundEvents {

    private static final System.Logger LOG = System.getLogger(ExternalChangeApplier.class.getName());
    private static final Duration CATALOG_RETRY = Duration.ofSeconds(2);
    private static final Duration RACE_RETRY = Duration.ofMillis(100);

    private final InboundEventParser parser;
    private final ExternalSystemPort system;
    private final ExternalLinks links;
    private final InboundLedger ledger;
    private final InboundBatchStore batches;
    private final UnitOfWork unitOfWork;
    private final Set<SystemName> otherTargets;
    private final Clock clock;
    private final EventRules rules;

    /** @param syncTargets every system local changes go to; the event's own system is left out of it here */
    public ExternalChangeApplier(InboundEventParser parser, ExternalSystemPort system, CustomerCatalog catalog,
                                 ExternalLinks links, ChangeOutbox outbox, InboundLedger ledger, InboundBatchStore batches,
                                 UnitOfWork unitOfWork, Set<SystemName> syncTargets, Clock clock) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.system = Objects.requireNonNull(system, "system");
        if (!parser.system().equals(system.name())) {
            throw new IllegalArgumentException("parser for " + parser.system() + ", port for " + system.name());
        }
        Objects.requireNonNull(catalog, "catalog");
        this.links = Objects.requireNonNull(links, "links");
        Objects.requireNonNull(outbox, "outbox");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.otherTargets = syncTargets.stream().filter(target -> !target.equals(system.name()))
                .collect(Collectors.toUnmodifiableSet());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = new EventRules(system.name(), catalog, links, outbox::append, ledger, otherTargets, clock);
    }

    @Override
    public InboundOutcome handle(byte[] payload) {
        return handleAll(List.of(payload)).getFirst();
    }

    @Override
    public List<InboundOutcome> handleAll(List<byte[]> payloads) {
        InboundOutcome[] outcomes = new InboundOutcome[payloads.size()];
        List<ExternalCustomerEvent> events = new ArrayList<>(payloads.size());
        List<Integer> positions = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            try {
                Optional<ExternalCustomerEvent> event = parser.parse(payloads.get(i));
                if (event.isPresent()) {
                    events.add(event.get());
                    positions.add(i);
                } else {
                    outcomes[i] = new InboundOutcome.Ignored("not a customer event we handle");
                }
            } catch (UnreadableEvent e) {
                outcomes[i] = new InboundOutcome.Rejected(e.getMessage() == null ? "unreadable event" : e.getMessage());
            }
        }
        List<InboundOutcome> applied = applyAll(events);
        for (int i = 0; i < applied.size(); i++) {
            outcomes[positions.get(i)] = applied.get(i);
        }
        return Arrays.asList(outcomes);
    }

    @Override
    public InboundOutcome apply(ExternalCustomerEvent event) {
        requireOwn(event);
        try {
            Optional<ExternalLink> known = links.findByExternalId(system.name(), event.externalId());
            if (EventRules.isStale(known, event)) {
                return unitOfWork.inTransaction(() -> ledger.recordOnce(system.name(), event.id())
                        ? new InboundOutcome.Ignored("stale: a later event was applied already")
                        : new InboundOutcome.Ignored("duplicate"));
            }
            boolean needsCurrentState = needsCurrentState(rules, known, event);
            // A redelivery of the last event applied ties with itself: it needs no call.
            if (needsCurrentState && ledger.contains(system.name(), event.id())) {
                return new InboundOutcome.Ignored("duplicate");
            }
            Target target = needsCurrentState ? Target.fetched(system.fetch(event.externalId())) : Target.of(event);
            return unitOfWork.inTransaction(() -> rules.applyOnce(event, target));
        } catch (CatalogUnavailable e) {
            return new InboundOutcome.Deferred(CATALOG_RETRY, "the catalog is unavailable");
        } catch (ExternalSystemUnavailable e) {
            return new InboundOutcome.Deferred(e.retryAfter().orElse(CATALOG_RETRY), e.getMessage());
        } catch (StaleVersion | EmailAlreadyInUse e) {
            // A local write raced this event: apply it again on the new state.
            return new InboundOutcome.Deferred(RACE_RETRY, "a concurrent local change: " + e.getMessage());
        }
    }

    /**
     * Applies {@code events} in the given order, as one batch where it can (see the class comment); the
     * outcomes are committed when this returns, in the events' order. Once an event of a customer is
     * deferred, that customer's later events of the batch are deferred too, untried: they must not overtake it.
     */
    public List<InboundOutcome> applyAll(List<ExternalCustomerEvent> events) {
        events.forEach(this::requireOwn);
        if (events.isEmpty()) {
            return List.of();
        }
        InboundOutcome[] outcomes = new InboundOutcome[events.size()];
        try {
            unitOfWork.run(() -> applyStaged(events, outcomes));
        } catch (CatalogUnavailable e) {
            Arrays.fill(outcomes, new InboundOutcome.Deferred(CATALOG_RETRY, "the catalog is unavailable"));
            return List.of(outcomes);
        } catch (RuntimeException e) {
            // A local write raced the batch, or something it cannot settle: nothing of it stayed; one by one instead.
            LOG.log(System.Logger.Level.DEBUG, () -> "A batch of " + events.size() + " events from " + system.name()
                    + " is applied one by one after " + e.getClass().getSimpleName());
            Arrays.fill(outcomes, null);
        }
        Map<ExternalId, InboundOutcome.Deferred> deferred = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (outcomes[i] != null) {
                continue;
            }
            ExternalCustomerEvent event = events.get(i);
            InboundOutcome.Deferred earlier = deferred.get(event.externalId());
            outcomes[i] = earlier != null ? earlier : apply(event);
            if (outcomes[i] instanceof InboundOutcome.Deferred later) {
                deferred.putIfAbsent(event.externalId(), later);
            }
        }
        return List.of(outcomes);
    }

    /**
     * The batch's unit of work: applies to a locked slice every event it can settle alone, and leaves the
     * outcome of the others (a tie, and whatever of its customer follows it) empty.
     */
    private void applyStaged(List<ExternalCustomerEvent> events, InboundOutcome[] outcomes) {
        StagedCatalog staged = StagedCatalog.lock(batches, system.name(), events);
        EventRules stagedRules = new EventRules(system.name(), staged, staged, staged, staged, otherTargets, clock);
        Set<ExternalId> handedOver = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            ExternalCustomerEvent event = events.get(i);
            if (handedOver.contains(event.externalId())
                    || needsCurrentState(stagedRules, staged.findByExternalId(system.name(), event.externalId()), event)) {
                handedOver.add(event.externalId());
                continue;
            }
            outcomes[i] = stagedRules.applyOnce(event, Target.of(event));
        }
        batches.write(staged.writes());
    }

    /**
     * A tie with the last event applied (an echo of our own write aside: it changes nothing, so it costs no call, tie
     * or not), or an echo that disagrees with the catalog ({@link EventRules#echoDisagrees}).
     */
    private static boolean needsCurrentState(EventRules rules, Optional<ExternalLink> known, ExternalCustomerEvent event) {
        return EventRules.isTie(known, event) && !EventRules.isOwnWrite(event) || rules.echoDisagrees(known, event);
    }

    private void requireOwn(ExternalCustomerEvent event) {
        if (!event.system().equals(system.name())) {
            throw new IllegalArgumentException("an event of " + event.system() + " given to the applier of " + system.name());
        }
    }
}
