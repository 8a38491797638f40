package com.stripesync.application.sync;

import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalChangeRejected;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalCustomerNotFound;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies recorded changes to one external system. The rules, in order:
 * <ol>
 *   <li>A change that came from this system is not sent back (no loops).</li>
 *   <li>A change whose outcome the link already records (a redelivery) is done.</li>
 *   <li>A change superseded by a later version of the customer is skipped: the later change, already in
 *       the outbox, carries the current state. So a local edit waiting in the outbox never overwrites
 *       a newer state, whichever side that newer state came from; both sides end equal.</li>
 *   <li>Otherwise the change's snapshot is written: a deletion deletes (or, in {@link DeleteMode#UNLINK},
 *       only unlinks) the external customer, anything else updates it, or creates it when the link has
 *       no external id yet. A customer never synced needs no deletion call.</li>
 * </ol>
 * Writes carry an idempotency key derived from the change id, so a retry, a redelivery or a crash
 * between the write and recording it repeats the same write. When the system is unavailable the write is
 * retried with backoff for {@link RetryPolicy#budget()}, then deferred; so is a change whose catalog cannot be
 * reached (the database is down). A refusal is recorded as FAILED.
 */
public final class ChangeSynchronizer implements SyncChange {

    /** Every idempotency key of our writes starts so: events echoing our own writes carry it. */
    public static final String OWN_KEY_PREFIX = "stripe-sync-change-";

    /** Systems forget idempotency keys (Stripe after 24 h); past this age a create first looks for the customer. */
    static final Duration KEY_MEMORY = Duration.ofHours(23);
    /** When the catalog cannot be reached, the change is tried again after this long. */
    static final Duration CATALOG_RETRY = Duration.ofSeconds(2);

    private final ExternalSystemPort system;
    private final CustomerCatalog catalog;
    private final ExternalLinks links;
    private final UnitOfWork unitOfWork;
    private final DeleteMode deleteMode;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final Clock clock;

    public ChangeSynchronizer(ExternalSystemPort system, CustomerCatalog catalog, ExternalLinks links,
                              UnitOfWork unitOfWork, DeleteMode deleteMode, RetryPolicy retryPolicy,
                              Sleeper sleeper, Clock clock) {
        this.system = Objects.requireNonNull(system, "system");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.links = Objects.requireNonNull(links, "links");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.deleteMode = Objects.requireNonNull(deleteMode, "deleteMode");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SystemName systemName() {
        return system.name();
    }

    @Override
    public SyncOutcome sync(CustomerChange change) {
        try {
            return syncReachingTheCatalog(change);
        } catch (CatalogUnavailable e) {
            // Before the write nothing happened; after it, the redelivery repeats it under the same key.
            return new SyncOutcome.Deferred(CATALOG_RETRY, "change " + change.id() + ": the catalog is unavailable");
        }
    }

    private SyncOutcome syncReachingTheCatalog(CustomerChange change) {
        SystemName name = system.name();
        if (change.origin().cameFrom(name)) {
            return new SyncOutcome.Skipped("came from " + name);
        }
        Optional<ExternalLink> link = links.find(change.customerId(), name);
        if (link.filter(known -> known.hasHandled(change.version())).isPresent()) {
            return new SyncOutcome.Skipped("version " + change.version().value() + " already handled");
        }
        Optional<Version> current = catalog.currentVersion(change.customerId());
        if (current.filter(version -> version.value() > change.version().value()).isPresent()) {
            return new SyncOutcome.Skipped("superseded by version " + current.get().value());
        }
        Optional<ExternalId> externalId = link.flatMap(ExternalLink::externalIdIfKnown);
        try {
            return change.isDeletion() ? delete(change, externalId) : upsert(change, externalId);
        } catch (ExternalChangeRejected rejected) {
            record(() -> links.markFailed(change.customerId(), name, change.version(), rejected.reason(), clock.instant()));
            return new SyncOutcome.Rejected(rejected.reason());
        } catch (GaveUp gaveUp) {
            return new SyncOutcome.Deferred(gaveUp.retryAfter, gaveUp.getMessage());
        }
    }

    private SyncOutcome delete(CustomerChange change, Optional<ExternalId> externalId) {
        SystemName name = system.name();
        if (externalId.isEmpty()) {
            record(() -> links.markDeleted(change.customerId(), name, change.version(), clock.instant()));
            return new SyncOutcome.Skipped("never synced to " + name + ": nothing to delete");
        }
        ExternalId id = externalId.get();
        if (deleteMode == DeleteMode.DELETE) {
            withRetries(change, (attempt, generation) -> {
                try {
                    system.delete(id, key(change, "delete", generation));
                } catch (ExternalCustomerNotFound alreadyGone) {
                    // Deleted there already (or never existed): the outcome we wanted.
                }
                return null;
            });
        }
        record(() -> links.markDeleted(change.customerId(), name, change.version(), clock.instant()));
        return new SyncOutcome.Applied(deleteMode == DeleteMode.DELETE ? "deleted" : "unlinked", id);
    }

    private SyncOutcome upsert(CustomerChange change, Optional<ExternalId> known) {
        SystemName name = system.name();
        ExternalId id;
        String what;
        if (known.isPresent()) {
            id = known.get();
            what = "updated";
            try {
                withRetries(change, (attempt, generation) -> {
                    system.update(id, change.details(), key(change, "update", generation));
                    return null;
                });
            } catch (ExternalCustomerNotFound gone) {
                // Deleted on the other side meanwhile: its own deletion event decides what happens locally.
                String reason = "the customer no longer exists in " + name;
                record(() -> links.markFailed(change.customerId(), name, change.version(), reason, clock.instant()));
                return new SyncOutcome.Rejected(reason);
            }
        } else {
            what = "created";
            id = withRetries(change, (attempt, generation) -> createOnce(change, attempt, generation));
        }
        record(() -> links.markSynced(change.customerId(), name, id, change.version(), clock.instant()));
        return new SyncOutcome.Applied(what, id);
    }

    /**
     * One create attempt. A retry first checks whether the link learnt an external id meanwhile (an event from
     * the system linked the customer, by email or by our id): that customer is updated instead of a second one
     * created. When an earlier attempt may have been applied without our knowing (its key forgotten, a failure
     * kept under the key, or an earlier change's create whose outcome was never recorded before this change
     * superseded it), the customer is looked up by our id first.
     */
    private ExternalId createOnce(CustomerChange change, int attempt, int generation) {
        if (attempt > 1) {
            Optional<ExternalId> learnt = links.find(change.customerId(), system.name())
                    .flatMap(ExternalLink::externalIdIfKnown);
            if (learnt.isPresent()) {
                try {
                    system.update(learnt.get(), change.details(), key(change, "update", generation));
                    return learnt.get();
                } catch (ExternalCustomerNotFound deletedMeanwhile) {
                    // Deleted there since it was linked: go on creating one.
                }
            }
        }
        boolean keyForgotten = Duration.between(change.occurredAt(), clock.instant()).compareTo(KEY_MEMORY) > 0;
        boolean earlierCreateInDoubt = change.version().value() > Version.FIRST.value();
        if (keyForgotten || generation > 0 || earlierCreateInDoubt) {
            Optional<ExternalCustomer> existing = system.findByLocalId(change.details());
            if (existing.isPresent()) {
                ExternalId id = existing.get().id();
                try {
                    system.update(id, change.details(), key(change, "update", generation));
                    return id;
                } catch (ExternalCustomerNotFound deletedMeanwhile) {
                    // A lagging search index returned a customer deleted since: create a new one.
                }
            }
        }
        return system.create(change.details(), key(change, "create", generation));
    }

    private static IdempotencyKey key(CustomerChange change, String operation, int generation) {
        return new IdempotencyKey(OWN_KEY_PREFIX + change.id().value() + "-" + operation
                + (generation == 0 ? "" : "-" + generation));
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run(int attempt, int generation);
    }

    private <T> T withRetries(CustomerChange change, Attempt<T> attempt) {
        Instant deadline = clock.instant().plus(retryPolicy.budget());
        int generation = 0;
        for (int failures = 0; ; ) {
            try {
                return attempt.run(failures + 1, generation);
            } catch (ExternalSystemUnavailable unavailable) {
                failures++;
                if (unavailable.answerKeptUnderKey()) {
                    // The same key would replay this failure: the next attempt checks, then writes under a new key.
                    generation++;
                }
                Duration delay = retryPolicy.delayAfter(failures, unavailable.retryAfter());
                if (clock.instant().plus(delay).isAfter(deadline)) {
                    throw new GaveUp(delay, "change " + change.id() + ": " + unavailable.getMessage());
                }
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new GaveUp(delay, "interrupted while waiting to retry change " + change.id());
                }
            }
        }
    }

    private void record(Runnable outcome) {
        unitOfWork.run(outcome);
    }

    /** The retry budget ran out (or the worker is stopping): the change is deferred, nothing recorded. */
    private static final class GaveUp extends RuntimeException {

        private final Duration retryAfter;

        GaveUp(Duration retryAfter, String message) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }
}
