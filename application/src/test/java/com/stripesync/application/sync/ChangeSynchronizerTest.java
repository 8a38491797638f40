package com.stripesync.application.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.application.customer.CustomerService;
import com.stripesync.application.customer.DeleteCustomerCommand;
import com.stripesync.application.customer.RegisterCustomerCommand;
import com.stripesync.application.customer.UpdateCustomerCommand;
import com.stripesync.application.sync.ObservedExternalSystem.Call;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalChangeRejected;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.testing.catalog.ImmediateUnitOfWork;
import com.stripesync.testing.catalog.InMemoryChangeOutbox;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.testing.external.InMemoryExternalSystem;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChangeSynchronizerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static final SystemName STRIPE = new SystemName("stripe");
    private static final SystemName SALESFORCE = new SystemName("salesforce");
    private static final CustomerName ADA = new CustomerName("Ada");
    private static final Email ADA_MAIL = new Email("ada@example.io");
    private static final CustomerName ADA_KING = new CustomerName("Ada King");
    private static final Email KING_MAIL = new Email("ada.king@example.io");

    /** The standard policy, with the jitter pinned to the longest delay unless a test says otherwise. */
    private static final RetryPolicy LONGEST = withRandom(() -> 1);
    private static final Duration BUDGET = LONGEST.budget();

    private final SettableClock clock = new SettableClock(T0);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();
    private final InMemoryChangeOutbox outbox = new InMemoryChangeOutbox();
    private final CustomerService customers = new CustomerService(catalog, outbox, catalog, new ImmediateUnitOfWork(),
            Set.of(STRIPE), clock);
    private final InMemoryExternalSystem stripe = new InMemoryExternalSystem(STRIPE);
    private final ObservedExternalSystem observed = new ObservedExternalSystem(stripe);
    private final ChangeSynchronizer synchronizer = synchronizer(DeleteMode.DELETE, LONGEST);

    @AfterEach
    void leaveTheThreadUninterrupted() {
        Thread.interrupted();
    }

    @Nested
    class Rules {

        @Test
        void createUpdateAndDeleteReachTheSystemOnceEachUnderKeysFromTheirChangeIds() {
            CustomerId id = registerAda();
            CustomerChange created = lastChange();

            SyncOutcome createdThere = synchronizer.sync(created);

            ExternalId externalId = stripe.customers().getFirst().id();
            assertThat(createdThere).isEqualTo(new SyncOutcome.Applied("created", externalId));
            assertThat(link(id)).satisfies(link -> {
                assertThat(link.status()).isEqualTo(SyncStatus.SYNCED);
                assertThat(link.externalIdIfKnown()).contains(externalId);
                assertThat(link.handledVersion()).isEqualTo(Version.FIRST);
                assertThat(link.lastSyncedAt()).contains(T0);
            });

            clock.advance(Duration.ofMinutes(1));
            renameAdaKing(id);
            CustomerChange updated = lastChange();

            assertThat(synchronizer.sync(updated)).isEqualTo(new SyncOutcome.Applied("updated", externalId));
            assertThat(stripe.fetch(externalId)).contains(new ExternalCustomer(externalId, ADA_KING, KING_MAIL, id));
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(link(id).handledVersion()).isEqualTo(new Version(2));

            clock.advance(Duration.ofMinutes(1));
            customers.delete(new DeleteCustomerCommand(id, null));
            CustomerChange deleted = lastChange();

            assertThat(synchronizer.sync(deleted)).isEqualTo(new SyncOutcome.Applied("deleted", externalId));
            assertThat(stripe.customers()).isEmpty();
            assertThat(link(id)).satisfies(link -> {
                assertThat(link.status()).isEqualTo(SyncStatus.DELETED);
                assertThat(link.handledVersion()).isEqualTo(new Version(3));
                assertThat(link.lastSyncedAt()).contains(T0.plus(Duration.ofMinutes(2)));
            });
            assertThat(observed.calls()).containsExactly(
                    new Call("create", keyOf(created, "create")),
                    new Call("update", keyOf(updated, "update")),
                    new Call("delete", keyOf(deleted, "delete")));
            assertThat(sleeper.delays()).isEmpty();
        }

        @Test
        void changesDeliveredAgainAfterTheirOutcomeWasRecordedMakeNoCall() {
            CustomerId id = registerAda();
            CustomerChange created = lastChange();
            synchronizer.sync(created);
            renameAdaKing(id);
            CustomerChange updated = lastChange();
            synchronizer.sync(updated);
            customers.delete(new DeleteCustomerCommand(id, null));
            CustomerChange deleted = lastChange();
            synchronizer.sync(deleted);
            observed.forget();

            for (CustomerChange again : List.of(created, updated, deleted, updated, created)) {
                assertThat(synchronizer.sync(again)).isInstanceOf(SyncOutcome.Skipped.class);
            }

            assertThat(observed.calls()).isEmpty();
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
        }

        @Test
        void aChangeThatCameFromTheSystemIsNotSentBack() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalLink linked = link(id);
            observed.forget();
            CustomerChange fromStripe = storeChangeFrom(ChangeOrigin.from(STRIPE), id, ADA_KING);

            assertThat(synchronizer.sync(fromStripe)).isInstanceOf(SyncOutcome.Skipped.class);
            assertThat(observed.calls()).isEmpty();
            assertThat(link(id)).isEqualTo(linked);
        }

        @Test
        void aChangeThatCameFromAnotherSystemIsSent() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            CustomerChange fromSalesforce = storeChangeFrom(ChangeOrigin.from(SALESFORCE), id, ADA_KING);

            assertThat(synchronizer.sync(fromSalesforce)).isEqualTo(new SyncOutcome.Applied("updated", externalId));
            assertThat(stripe.fetch(externalId).orElseThrow().name()).isEqualTo(ADA_KING);
        }

        @Test
        void aSupersededCreateMakesNoCallAndTheLaterChangeCreatesTheCurrentState() {
            CustomerId id = registerAda();
            CustomerChange created = lastChange();
            renameAdaKing(id);
            CustomerChange renamed = lastChange();

            assertThat(synchronizer.sync(created)).isEqualTo(new SyncOutcome.Skipped("superseded by version 2"));
            assertThat(observed.calls()).isEmpty();

            assertThat(synchronizer.sync(renamed)).isInstanceOf(SyncOutcome.Applied.class);
            assertThat(stripe.customers()).singleElement().satisfies(customer -> {
                assertThat(customer.name()).isEqualTo(ADA_KING);
                assertThat(customer.email()).isEqualTo(KING_MAIL);
                assertThat(customer.localIdIfKnown()).contains(id);
            });
            assertThat(observed.calls()).containsExactly(new Call("findByLocalId", null),
                    new Call("create", keyOf(renamed, "create")));
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(link(id).handledVersion()).isEqualTo(new Version(2));
        }

        @Test
        void aSupersededUpdateMakesNoCallAndTheLaterChangeSendsTheCurrentState() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            renameAdaKing(id);
            CustomerChange first = lastChange();
            customers.update(new UpdateCustomerCommand(id, new CustomerName("Countess Lovelace"), KING_MAIL, null));
            CustomerChange second = lastChange();
            observed.forget();

            assertThat(synchronizer.sync(first)).isInstanceOf(SyncOutcome.Skipped.class);
            assertThat(observed.calls()).isEmpty();

            assertThat(synchronizer.sync(second)).isEqualTo(new SyncOutcome.Applied("updated", externalId));
            assertThat(observed.calls()).containsExactly(new Call("update", keyOf(second, "update")));
            assertThat(stripe.fetch(externalId))
                    .contains(new ExternalCustomer(externalId, new CustomerName("Countess Lovelace"), KING_MAIL, id));
        }

        @Test
        void aLocalEditOvertakenByAnEditFromTheSystemIsNotWrittenOverIt() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            renameAdaKing(id);
            CustomerChange localEdit = lastChange();
            CustomerName dashboardName = new CustomerName("Ada (edited in Stripe)");
            stripe.update(externalId, new CustomerDetails(id, dashboardName, KING_MAIL), new IdempotencyKey("dashboard"));
            CustomerChange fromStripe = storeChangeFrom(ChangeOrigin.from(STRIPE), id, dashboardName);
            observed.forget();

            assertThat(synchronizer.sync(localEdit)).isInstanceOf(SyncOutcome.Skipped.class);
            assertThat(synchronizer.sync(fromStripe)).isInstanceOf(SyncOutcome.Skipped.class);

            assertThat(observed.calls()).isEmpty();
            assertThat(stripe.fetch(externalId).orElseThrow().name()).isEqualTo(dashboardName);
            assertThat(catalog.stored(id).orElseThrow().name()).isEqualTo(dashboardName);
        }

        @Test
        void aCustomerWithoutALinkYetIsCreatedAndLinked() {
            CustomerService withoutTargets = new CustomerService(catalog, outbox, catalog, new ImmediateUnitOfWork(),
                    Set.of(), clock);
            CustomerId id = withoutTargets.register(new RegisterCustomerCommand(ADA, ADA_MAIL)).customer().id();
            assertThat(catalog.find(id, STRIPE)).isEmpty();

            SyncOutcome outcome = synchronizer.sync(lastChange());

            assertThat(outcome).isInstanceOf(SyncOutcome.Applied.class);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(link(id).externalIdIfKnown()).contains(stripe.customers().getFirst().id());
        }
    }

    @Nested
    class Deletion {

        @Test
        void deletingACustomerNeverSyncedMakesNoCallAndMarksTheLinkDeleted() {
            CustomerId id = registerAda();
            CustomerChange created = lastChange();
            customers.delete(new DeleteCustomerCommand(id, null));
            CustomerChange deleted = lastChange();

            assertThat(synchronizer.sync(created)).isInstanceOf(SyncOutcome.Skipped.class);
            assertThat(synchronizer.sync(deleted)).isInstanceOf(SyncOutcome.Skipped.class);

            assertThat(observed.calls()).isEmpty();
            assertThat(link(id)).satisfies(link -> {
                assertThat(link.status()).isEqualTo(SyncStatus.DELETED);
                assertThat(link.externalIdIfKnown()).isEmpty();
                assertThat(link.handledVersion()).isEqualTo(new Version(2));
            });
        }

        @Test
        void unlinkModeLeavesTheExternalCustomerAndOnlyMarksTheLinkDeleted() {
            ChangeSynchronizer unlinking = synchronizer(DeleteMode.UNLINK, LONGEST);
            CustomerId id = registerAda();
            unlinking.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            customers.delete(new DeleteCustomerCommand(id, null));
            observed.forget();

            assertThat(unlinking.sync(lastChange())).isEqualTo(new SyncOutcome.Applied("unlinked", externalId));

            assertThat(observed.calls()).isEmpty();
            assertThat(stripe.customers()).extracting(ExternalCustomer::id).containsExactly(externalId);
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
            assertThat(link(id).externalIdIfKnown()).contains(externalId);
        }

        @Test
        void deletingACustomerAlreadyDeletedThereCountsAsDone() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            stripe.delete(externalId, new IdempotencyKey("deleted-in-the-dashboard"));
            customers.delete(new DeleteCustomerCommand(id, null));

            assertThat(synchronizer.sync(lastChange())).isEqualTo(new SyncOutcome.Applied("deleted", externalId));
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
        }

        @Test
        void deletingACustomerTheSystemNeverHadCountsAsDone() {
            CustomerId id = registerAda();
            ExternalId unknown = new ExternalId("mem_unknown");
            catalog.link(new ExternalLink(id, STRIPE, unknown, SyncStatus.SYNCED, T0, null, Version.FIRST, null));
            customers.delete(new DeleteCustomerCommand(id, null));

            assertThat(synchronizer.sync(lastChange())).isEqualTo(new SyncOutcome.Applied("deleted", unknown));
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
            assertThat(sleeper.delays()).isEmpty();
        }

        @Test
        void aDeleteWhoseAnswerWasLostIsRepeatedAndCountsAsDone() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            customers.delete(new DeleteCustomerCommand(id, null));
            stripe.loseNextResponses(1);
            observed.forget();

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);
            assertThat(observed.writes()).extracting(Call::operation).containsExactly("delete", "delete");
            assertThat(stripe.customers()).isEmpty();
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
        }
    }

    @Nested
    class Refusals {

        @Test
        void updatingACustomerGoneFromTheSystemIsRejectedAndRecordedAsFailed() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            stripe.delete(externalId, new IdempotencyKey("deleted-in-the-dashboard"));
            renameAdaKing(id);

            SyncOutcome outcome = synchronizer.sync(lastChange());

            assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Rejected.class,
                    rejected -> assertThat(rejected.reason()).contains("no longer exists"));
            assertThat(link(id)).satisfies(link -> {
                assertThat(link.status()).isEqualTo(SyncStatus.FAILED);
                assertThat(link.lastErrorIfAny()).contains(((SyncOutcome.Rejected) outcome).reason());
                assertThat(link.externalIdIfKnown()).contains(externalId);
                assertThat(link.handledVersion()).isEqualTo(new Version(2));
            });
            assertThat(sleeper.delays()).isEmpty();
        }

        @Test
        void aRejectedCreateIsRecordedAsFailedWithItsReasonAndALaterChangeSyncsAgain() {
            CustomerId id = registerAda();
            CustomerChange created = lastChange();
            stripe.failNext(new ExternalChangeRejected(STRIPE, "Invalid email address"));

            assertThat(synchronizer.sync(created)).isEqualTo(new SyncOutcome.Rejected("Invalid email address"));
            assertThat(link(id)).satisfies(link -> {
                assertThat(link.status()).isEqualTo(SyncStatus.FAILED);
                assertThat(link.lastErrorIfAny()).contains("Invalid email address");
                assertThat(link.externalIdIfKnown()).isEmpty();
            });
            assertThat(stripe.customers()).isEmpty();
            assertThat(sleeper.delays()).isEmpty();

            observed.forget();
            assertThat(synchronizer.sync(created)).isInstanceOf(SyncOutcome.Skipped.class);
            assertThat(observed.calls()).isEmpty();

            renameAdaKing(id);
            assertThat(link(id).status()).isEqualTo(SyncStatus.PENDING);
            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(link(id)).satisfies(link -> {
                assertThat(link.status()).isEqualTo(SyncStatus.SYNCED);
                assertThat(link.lastErrorIfAny()).isEmpty();
                assertThat(link.externalIdIfKnown()).contains(stripe.customers().getFirst().id());
            });
            assertThat(stripe.customers()).singleElement().extracting(ExternalCustomer::name).isEqualTo(ADA_KING);
        }

        @Test
        void aRejectedUpdateIsRecordedAsFailedAndALaterChangeSyncsAgain() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            renameAdaKing(id);
            stripe.failNext(new ExternalChangeRejected(STRIPE, "Invalid email address"));

            assertThat(synchronizer.sync(lastChange())).isEqualTo(new SyncOutcome.Rejected("Invalid email address"));
            assertThat(link(id).status()).isEqualTo(SyncStatus.FAILED);
            assertThat(link(id).lastErrorIfAny()).contains("Invalid email address");
            assertThat(stripe.fetch(externalId).orElseThrow().name()).isEqualTo(ADA);

            customers.update(new UpdateCustomerCommand(id, new CustomerName("Countess Lovelace"), KING_MAIL, null));

            assertThat(synchronizer.sync(lastChange())).isEqualTo(new SyncOutcome.Applied("updated", externalId));
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(link(id).lastErrorIfAny()).isEmpty();
            assertThat(stripe.fetch(externalId).orElseThrow().name()).isEqualTo(new CustomerName("Countess Lovelace"));
        }
    }

    @Nested
    class Unavailability {

        @Test
        void backoffStartsAtHalfASecondDoublesAndIsCappedAtFiveSeconds() {
            registerAda();
            failNextCalls(6);

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(sleeper.delays()).containsExactly(millis(500), millis(1000), millis(2000), millis(4000),
                    millis(5000), millis(5000));
        }

        @Test
        void backoffIsJitteredBetweenHalfAndAllOfEachStep() {
            PrimitiveIterator.OfDouble draws = DoubleStream.of(0, 1, 0.5, 0, 1, 0.5).iterator();
            ChangeSynchronizer jittered = synchronizer(DeleteMode.DELETE, withRandom(draws::nextDouble));
            registerAda();
            failNextCalls(6);

            assertThat(jittered.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(sleeper.delays()).containsExactly(millis(250), millis(1000), millis(1500), millis(2000),
                    millis(5000), millis(3750));
        }

        @Test
        void noWaitIsShorterThanTheRetryAfterTheSystemAskedFor() {
            registerAda();
            stripe.failNext(new ExternalSystemUnavailable(STRIPE, "rate limited", Duration.ofSeconds(7), null));
            stripe.failNext(new ExternalSystemUnavailable(STRIPE, "rate limited", Duration.ofMillis(10), null));
            stripe.failNext(new ExternalSystemUnavailable(STRIPE, "rate limited", Duration.ofSeconds(3), null));

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(7), millis(1000), Duration.ofSeconds(3));
        }

        @Test
        void aRetryAfterBeyondTheBudgetDefersAtOnceAndPassesTheWaitOn() {
            CustomerId id = registerAda();
            observed.goDown(new ExternalSystemUnavailable(STRIPE, "rate limited", Duration.ofMinutes(2), null));

            SyncOutcome outcome = synchronizer.sync(lastChange());

            assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Deferred.class,
                    deferred -> assertThat(deferred.retryAfter()).isGreaterThanOrEqualTo(Duration.ofMinutes(2)));
            assertThat(observed.calls()).hasSize(1);
            assertThat(sleeper.delays()).isEmpty();
            assertNothingRecorded(id);
        }

        @Test
        void aSystemDownForTheWholeBudgetDefersTheChangeAndRecordsNothing() {
            CustomerId id = registerAda();
            observed.goDown(new ExternalSystemUnavailable(STRIPE, "connection refused"));

            SyncOutcome outcome = synchronizer.sync(lastChange());

            assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Deferred.class, deferred -> {
                assertThat(deferred.retryAfter()).isPositive();
                assertThat(deferred.reason()).contains("connection refused");
            });
            assertNothingRecorded(id);
            assertThat(stripe.customers()).isEmpty();
            assertThat(sleeper.total()).isLessThanOrEqualTo(BUDGET);
            assertThat(Duration.between(T0, clock.instant())).isLessThanOrEqualTo(BUDGET);
            // 0.5 + 1 + 2 + 4 s, then 5 s at a time: 15 attempts fit in a minute.
            assertThat(observed.calls()).hasSize(15);

            observed.comeBack();
            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);
            assertThat(stripe.customers()).hasSize(1);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
        }

        @Test
        void aCatalogOutOfReachDefersTheChangeAndTheRedeliveryRepeatsTheWriteUnderTheSameKey() {
            CustomerId id = registerAda();
            AtomicBoolean databaseDown = new AtomicBoolean(true);
            UnitOfWork failingWhileDown = new UnitOfWork() {
                @Override
                public <T> T inTransaction(Supplier<T> work) {
                    if (databaseDown.get()) {
                        throw new CatalogUnavailable("The database cannot be reached", new ConnectException("simulated"));
                    }
                    return work.get();
                }
            };
            ChangeSynchronizer recordingNothing = new ChangeSynchronizer(observed, catalog, catalog, failingWhileDown,
                    DeleteMode.DELETE, LONGEST, sleeper, clock);

            SyncOutcome outcome = recordingNothing.sync(lastChange());

            assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Deferred.class, deferred -> {
                assertThat(deferred.retryAfter()).isPositive();
                assertThat(deferred.reason()).contains("catalog is unavailable");
            });
            assertNothingRecorded(id);
            databaseDown.set(false);
            assertThat(recordingNothing.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);
            IdempotencyKey key = keyOf(lastChange(), "create");
            assertThat(observed.calls()).containsExactly(new Call("create", key), new Call("create", key));
            assertThat(stripe.customers()).hasSize(1);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
        }

        @Test
        void anInterruptedWaitDefersTheChangeAndKeepsTheInterrupt() {
            CustomerId id = registerAda();
            failNextCalls(1);
            sleeper.interruptNextSleep();

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Deferred.class);

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertNothingRecorded(id);
        }

        @Test
        void anUpdateWhoseAnswerWasLostIsRepeatedUnderTheSameKey() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            renameAdaKing(id);
            stripe.loseNextResponses(1);
            observed.forget();

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            IdempotencyKey key = keyOf(lastChange(), "update");
            assertThat(observed.calls()).containsExactly(new Call("update", key), new Call("update", key));
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
        }

        @Test
        void anUpdateFailingWithTheAnswerKeptUnderItsKeyIsRepeatedUnderANewKey() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            ExternalId externalId = link(id).externalIdIfKnown().orElseThrow();
            renameAdaKing(id);
            observed.failNextWriteKeepingTheAnswer(false);
            observed.forget();

            assertThat(synchronizer.sync(lastChange())).isEqualTo(new SyncOutcome.Applied("updated", externalId));

            assertThat(observed.calls()).extracting(Call::operation).containsExactly("update", "update");
            assertThat(observed.calls().get(1).key()).isNotEqualTo(observed.calls().get(0).key());
            assertThat(stripe.fetch(externalId).orElseThrow().name()).isEqualTo(ADA_KING);
        }

        @Test
        void aDeleteFailingWithTheAnswerKeptUnderItsKeyIsRepeatedUnderANewKey() {
            CustomerId id = registerAda();
            synchronizer.sync(lastChange());
            customers.delete(new DeleteCustomerCommand(id, null));
            observed.failNextWriteKeepingTheAnswer(true);
            observed.forget();

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(observed.calls()).extracting(Call::operation).containsExactly("delete", "delete");
            assertThat(observed.calls().get(1).key()).isNotEqualTo(observed.calls().get(0).key());
            assertThat(stripe.customers()).isEmpty();
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
        }

        @Test
        void withHalfOfTheCallsFailingEveryChangeStillConvergesWellWithinTheBudget() {
            observed.beFlaky();
            List<CustomerId> kept = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                CustomerId id = customers.register(new RegisterCustomerCommand(new CustomerName("Customer " + i),
                        new Email("c" + i + "@example.io"))).customer().id();
                assertConvergesQuickly(synchronizer.sync(lastChange()));
                customers.update(new UpdateCustomerCommand(id, new CustomerName("Customer " + i + " renamed"),
                        new Email("c" + i + "@example.io"), null));
                assertConvergesQuickly(synchronizer.sync(lastChange()));
                if (i % 2 == 0) {
                    customers.delete(new DeleteCustomerCommand(id, null));
                    assertConvergesQuickly(synchronizer.sync(lastChange()));
                } else {
                    kept.add(id);
                }
            }

            assertThat(stripe.customers()).extracting(customer -> customer.localIdIfKnown().orElseThrow())
                    .containsExactlyInAnyOrderElementsOf(kept);
            assertThat(stripe.customers()).allSatisfy(
                    customer -> assertThat(customer.name().value()).endsWith("renamed"));
            assertThat(kept).allSatisfy(id -> assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED));
            // 15 changes, each applied at its second call: every other call failed.
            assertThat(observed.calls()).hasSize(30);
        }

        private void assertConvergesQuickly(SyncOutcome outcome) {
            assertThat(outcome).isInstanceOf(SyncOutcome.Applied.class);
            assertThat(sleeper.total()).isLessThanOrEqualTo(BUDGET.dividedBy(10));
            sleeper.forget();
        }
    }

    @Nested
    class DoubtfulCreates {

        @Test
        void aCreateRetriedAfterAnEventLinkedTheCustomerUpdatesThatCustomerInsteadOfCreatingAnother() {
            CustomerId id = registerAda();
            ExternalId dashboards = stripe.seed(ADA, ADA_MAIL, null);
            observed.goDown(new ExternalSystemUnavailable(STRIPE, "connection refused"));
            Sleeper linkedMeanwhile = delay -> {
                // While the create waits to be retried, the system's creation event links the customer by email.
                catalog.recordEvent(id, STRIPE, dashboards, clock.instant());
                observed.comeBack();
            };
            ChangeSynchronizer retrying = new ChangeSynchronizer(observed, catalog, catalog, new ImmediateUnitOfWork(),
                    DeleteMode.DELETE, LONGEST, linkedMeanwhile, clock);

            SyncOutcome outcome = retrying.sync(lastChange());

            assertThat(outcome).isEqualTo(new SyncOutcome.Applied("created", dashboards));
            assertThat(stripe.customers()).singleElement().satisfies(customer -> {
                assertThat(customer.id()).isEqualTo(dashboards);
                assertThat(customer.localIdIfKnown()).contains(id);
            });
            assertThat(observed.calls()).extracting(Call::operation).containsExactly("create", "update");
            assertThat(link(id).externalIdIfKnown()).contains(dashboards);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
        }

        @Test
        void aCreateWhoseAnswerWasLostIsRepeatedUnderTheSameKeyAndMakesOneCustomer() {
            CustomerId id = registerAda();
            stripe.loseNextResponses(1);

            SyncOutcome outcome = synchronizer.sync(lastChange());

            ExternalId only = stripe.customers().getFirst().id();
            assertThat(stripe.customers()).hasSize(1);
            assertThat(outcome).isEqualTo(new SyncOutcome.Applied("created", only));
            assertThat(link(id).externalIdIfKnown()).contains(only);
            assertThat(observed.calls()).containsExactly(new Call("create", keyOf(lastChange(), "create")),
                    new Call("create", keyOf(lastChange(), "create")));
        }

        @Test
        void aFailureKeptUnderTheKeyAfterTheCreateWasAppliedAdoptsTheCustomerInsteadOfCreatingAnother() {
            CustomerId id = registerAda();
            observed.failNextWriteKeepingTheAnswer(true);

            SyncOutcome outcome = synchronizer.sync(lastChange());

            assertThat(stripe.customers()).singleElement().satisfies(customer -> {
                assertThat(outcome).isEqualTo(new SyncOutcome.Applied("created", customer.id()));
                assertThat(link(id).externalIdIfKnown()).contains(customer.id());
                assertThat(customer.localIdIfKnown()).contains(id);
            });
            assertThat(observed.calls()).extracting(Call::operation).containsExactly("create", "findByLocalId", "update");
            assertThat(observed.writes().get(1).key()).isNotEqualTo(observed.writes().get(0).key());
        }

        @Test
        void aFailureKeptUnderTheKeyBeforeTheCreateWasAppliedCreatesUnderANewKey() {
            CustomerId id = registerAda();
            observed.failNextWriteKeepingTheAnswer(false);

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(stripe.customers()).singleElement()
                    .satisfies(customer -> assertThat(link(id).externalIdIfKnown()).contains(customer.id()));
            assertThat(observed.calls()).extracting(Call::operation).containsExactly("create", "findByLocalId", "create");
            assertThat(observed.writes().get(1).key()).isNotEqualTo(observed.writes().get(0).key());
        }

        @Test
        void aCreateDeferredAfterAFailureKeptUnderTheKeyIsResolvedWhenDeliveredAgain() {
            CustomerId id = registerAda();
            observed.failNextWriteKeepingTheAnswer(true);
            ChangeSynchronizer impatient = synchronizer(DeleteMode.DELETE, withoutBudget());
            assertThat(impatient.sync(lastChange())).isInstanceOf(SyncOutcome.Deferred.class);

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(stripe.customers()).singleElement()
                    .satisfies(customer -> assertThat(link(id).externalIdIfKnown()).contains(customer.id()));
        }

        @Test
        void aCreateOlderThanTheSystemsKeyMemoryLooksForTheCustomerFirstAndAdoptsIt() {
            CustomerId id = registerAda();
            CustomerChange created = lastChange();
            createThenDefer(created);
            clock.advance(Duration.ofHours(24));
            stripe.forgetIdempotencyKeys();
            observed.forget();

            SyncOutcome outcome = synchronizer.sync(created);

            ExternalId only = stripe.customers().getFirst().id();
            assertThat(stripe.customers()).hasSize(1);
            assertThat(outcome).isEqualTo(new SyncOutcome.Applied("created", only));
            assertThat(link(id).externalIdIfKnown()).contains(only);
            assertThat(observed.calls()).extracting(Call::operation).containsExactly("findByLocalId", "update");
        }

        @Test
        void aCreateOlderThanTheSystemsKeyMemoryThatFindsNothingCreates() {
            CustomerId id = registerAda();
            clock.advance(Duration.ofHours(23).plusSeconds(1));

            assertThat(synchronizer.sync(lastChange())).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(observed.calls()).extracting(Call::operation).containsExactly("findByLocalId", "create");
            assertThat(stripe.customers()).singleElement()
                    .satisfies(customer -> assertThat(customer.localIdIfKnown()).contains(id));
        }

        @Test
        void aCreateYoungerThanTheSystemsKeyMemoryRepeatsItsKeyWithoutLookingFirst() {
            registerAda();
            CustomerChange created = lastChange();
            createThenDefer(created);
            clock.advance(Duration.ofHours(22));
            observed.forget();

            assertThat(synchronizer.sync(created)).isInstanceOf(SyncOutcome.Applied.class);

            assertThat(observed.calls()).containsExactly(new Call("create", keyOf(created, "create")));
            assertThat(stripe.customers()).hasSize(1);
        }

        @Test
        void aCreateAppliedButNeverRecordedAndThenSupersededIsNotDuplicatedByTheLaterChange() {
            CustomerId id = registerAda();
            CustomerChange created = lastChange();
            createThenDefer(created);
            ExternalId first = stripe.customers().getFirst().id();
            renameAdaKing(id);
            observed.forget();

            assertThat(synchronizer.sync(created)).isInstanceOf(SyncOutcome.Skipped.class);
            assertThat(synchronizer.sync(lastChange())).isEqualTo(new SyncOutcome.Applied("created", first));

            assertThat(stripe.customers()).containsExactly(new ExternalCustomer(first, ADA_KING, KING_MAIL, id));
            assertThat(observed.calls()).extracting(Call::operation).containsExactly("findByLocalId", "update");
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(link(id).externalIdIfKnown()).contains(first);
        }

        /** The system applies the create but its answer is lost, and the worker gives up at once: nothing is recorded. */
        private void createThenDefer(CustomerChange created) {
            stripe.loseNextResponses(1);
            ChangeSynchronizer impatient = synchronizer(DeleteMode.DELETE, withoutBudget());
            assertThat(impatient.sync(created)).isInstanceOf(SyncOutcome.Deferred.class);
            assertThat(stripe.customers()).hasSize(1);
            assertThat(catalog.find(created.customerId(), STRIPE).orElseThrow().externalIdIfKnown()).isEmpty();
        }
    }

    private ChangeSynchronizer synchronizer(DeleteMode mode, RetryPolicy policy) {
        return new ChangeSynchronizer(observed, catalog, catalog, new ImmediateUnitOfWork(), mode, policy, sleeper, clock);
    }

    private static RetryPolicy withRandom(DoubleSupplier random) {
        RetryPolicy standard = RetryPolicy.standard();
        return new RetryPolicy(standard.initial(), standard.max(), standard.budget(), random);
    }

    private static RetryPolicy withoutBudget() {
        return new RetryPolicy(LONGEST.initial(), LONGEST.max(), Duration.ZERO, LONGEST.random());
    }

    private CustomerId registerAda() {
        return customers.register(new RegisterCustomerCommand(ADA, ADA_MAIL)).customer().id();
    }

    private void renameAdaKing(CustomerId id) {
        customers.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));
    }

    /** Stores the next version of the customer as the inbound sync from {@code origin} would, with its change. */
    private CustomerChange storeChangeFrom(ChangeOrigin origin, CustomerId id, CustomerName name) {
        Customer current = catalog.stored(id).orElseThrow();
        Customer next = current.change(name, current.email().orElse(null), clock.instant());
        catalog.replace(next);
        outbox.append(next, ChangeKind.UPDATED, origin);
        return lastChange();
    }

    private CustomerChange lastChange() {
        return outbox.changes().getLast();
    }

    private ExternalLink link(CustomerId id) {
        return catalog.find(id, STRIPE).orElseThrow();
    }

    private void failNextCalls(int calls) {
        for (int i = 0; i < calls; i++) {
            stripe.failNext(new ExternalSystemUnavailable(STRIPE, "down (simulated)"));
        }
    }

    private void assertNothingRecorded(CustomerId id) {
        assertThat(link(id)).satisfies(link -> {
            assertThat(link.status()).isEqualTo(SyncStatus.PENDING);
            assertThat(link.handledVersion()).isNull();
            assertThat(link.externalIdIfKnown()).isEmpty();
            assertThat(link.lastErrorIfAny()).isEmpty();
        });
    }

    private static IdempotencyKey keyOf(CustomerChange change, String operation) {
        return new IdempotencyKey("stripe-sync-change-" + change.id() + "-" + operation);
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
