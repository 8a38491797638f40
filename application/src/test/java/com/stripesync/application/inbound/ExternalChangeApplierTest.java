package com.stripesync.application.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.application.customer.CustomerService;
import com.stripesync.application.customer.DeleteCustomerCommand;
import com.stripesync.application.customer.RegisterCustomerCommand;
import com.stripesync.application.customer.UpdateCustomerCommand;
import com.stripesync.application.inbound.InboundOutcome.Applied;
import com.stripesync.application.inbound.InboundOutcome.Conflict;
import com.stripesync.application.inbound.InboundOutcome.Deferred;
import com.stripesync.application.inbound.InboundOutcome.Ignored;
import com.stripesync.application.inbound.InboundOutcome.Rejected;
import com.stripesync.application.sync.ChangeSynchronizer;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.application.sync.ObservedExternalSystem;
import com.stripesync.application.sync.ObservedExternalSystem.Call;
import com.stripesync.application.sync.RecordingSleeper;
import com.stripesync.application.sync.RetryPolicy;
import com.stripesync.application.sync.SettableClock;
import com.stripesync.application.sync.SyncOutcome;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.ExternalEventKind;
import com.stripesync.domain.inbound.InboundBatchStore;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.testing.catalog.ImmediateUnitOfWork;
import com.stripesync.testing.catalog.InMemoryChangeOutbox;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.testing.catalog.InMemoryInboundBatchStore;
import com.stripesync.testing.external.InMemoryExternalSystem;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of applying Stripe's customer events to the local catalog, over the in-memory stores. Stripe sits
 * behind an {@link ObservedExternalSystem} that notes every call the applier (or the outbound worker) makes;
 * edits "in the dashboard" go to the in-memory Stripe directly, which holds its current state.
 */
class ExternalChangeApplierTest {

    /** Stripe's event times: whole seconds. */
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static final SystemName STRIPE = new SystemName("stripe");
    private static final SystemName SALESFORCE = new SystemName("salesforce");
    private static final Set<SystemName> TARGETS = Set.of(STRIPE, SALESFORCE);
    private static final CustomerName ADA = new CustomerName("Ada");
    private static final Email ADA_MAIL = new Email("ada@example.io");
    private static final CustomerName ADA_KING = new CustomerName("Ada King");
    private static final Email KING_MAIL = new Email("ada.king@example.io");
    private static final CustomerName GRACE = new CustomerName("Grace");
    private static final Email GRACE_MAIL = new Email("grace@example.io");
    private static final Ignored DUPLICATE = new Ignored("duplicate");
    private static final Ignored STALE = new Ignored("stale: a later event was applied already");
    private static final Ignored ECHO = new Ignored("our own write, echoed back");

    private final SettableClock clock = new SettableClock(T0.plusMillis(250));
    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();
    private final InMemoryChangeOutbox outbox = new InMemoryChangeOutbox();
    private final RollingBackLedger ledger = new RollingBackLedger();
    private final InMemoryInboundBatchStore batches = new InMemoryInboundBatchStore(catalog, outbox, ledger, ledger::contains);
    private final UnitOfWork unitOfWork = ledger.around(new ImmediateUnitOfWork());
    private final InMemoryExternalSystem stripe = new InMemoryExternalSystem(STRIPE);
    private final ObservedExternalSystem observed = new ObservedExternalSystem(stripe);
    private final InMemoryExternalSystem salesforce = new InMemoryExternalSystem(SALESFORCE);
    private final ScriptedEventParser parser = new ScriptedEventParser(STRIPE);
    private final ExternalChangeApplier applier = new ExternalChangeApplier(parser, observed, catalog, catalog, outbox,
            ledger, batches, unitOfWork, TARGETS, clock);
    private final CustomerService customers = new CustomerService(catalog, outbox, catalog, unitOfWork, TARGETS, clock);
    private final ChangeSynchronizer stripeWorker = worker(observed);
    private final ChangeSynchronizer salesforceWorker = worker(salesforce);
    private final List<SyncOutcome> stripeOutcomes = new ArrayList<>();
    private final List<SyncOutcome> salesforceOutcomes = new ArrayList<>();
    private int relayed;
    private int events;
    private int dashboardEdits;

    /** How the tests hand an event to the applier: here one by one; {@link ExternalChangeApplierBatchOfOneTest} as a batch. */
    InboundOutcome applyEvent(ExternalCustomerEvent event) {
        return applyWith(applier, event);
    }

    InboundOutcome applyWith(ExternalChangeApplier target, ExternalCustomerEvent event) {
        return target.apply(event);
    }

    /** One by one, a local write racing an event defers it; a batch it races is applied again one by one at once. */
    boolean racesAreRetriedAtOnce() {
        return false;
    }

    @Nested
    class ExactlyOnce {

        @Test
        void theSameCreationDeliveredThreeTimesImportsOneCustomer() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            ExternalCustomerEvent created = created(inStripe(cus), second(0));

            List<InboundOutcome> outcomes = List.of(applyEvent(created), applyEvent(created), applyEvent(created));

            assertThat(outcomes).containsExactly(new Applied("imported"), DUPLICATE, DUPLICATE);
            assertThat(catalog.size()).isEqualTo(1);
            assertThat(outbox.changes()).singleElement().extracting(CustomerChange::kind).isEqualTo(ChangeKind.CREATED);
            assertThat(ledger.size()).isEqualTo(1);
            assertThat(observed.calls()).as("a redelivery ties with itself, yet needs no call").isEmpty();
        }

        @Test
        void theSameUpdateDeliveredThreeTimesIsAppliedOnce() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            editInStripe(cus, id, ADA_KING, KING_MAIL);
            byte[] payload = parser.payloadOf(updated(inStripe(cus), second(4)));

            List<InboundOutcome> outcomes = List.of(applier.handle(payload), applier.handle(payload),
                    applier.handle(payload));

            assertThat(outcomes).containsExactly(new Applied("updated"), DUPLICATE, DUPLICATE);
            assertThat(local(id).version()).isEqualTo(new Version(2));
            assertThat(outbox.changes()).extracting(CustomerChange::version).containsExactly(Version.FIRST, new Version(2));
            assertThat(ledger.size()).isEqualTo(2);
            assertThat(observed.calls()).isEmpty();
        }
    }

    @Nested
    class Ordering {

        @Test
        void anEventOlderThanTheLastOneAppliedIsIgnored() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            ExternalCustomerEvent earlier = updated(new ExternalCustomer(cus, new CustomerName("Ada B"), ADA_MAIL, null),
                    second(5));
            ExternalCustomerEvent later = updated(new ExternalCustomer(cus, ADA_KING, KING_MAIL, null), second(10));
            assertThat(applyEvent(later)).isEqualTo(new Applied("updated"));
            Map<CustomerId, Customer> before = catalog.contents();

            assertThat(applyEvent(earlier)).isEqualTo(STALE);

            assertThat(catalog.contents()).isEqualTo(before);
            assertThat(local(id).name()).isEqualTo(ADA_KING);
            assertThat(outbox.changes()).hasSize(2);
            assertThat(link(id).lastEvent()).contains(second(10));
            assertThat(ledger.size()).isEqualTo(3);
            assertThat(observed.calls()).isEmpty();
        }

        @Test
        void anUpdateArrivingBeforeItsCreationImportsTheUpdatedValuesAndTheLateCreationIsIgnored() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            ExternalCustomerEvent creation = created(inStripe(cus), second(0));
            ExternalCustomerEvent update = updated(new ExternalCustomer(cus, ADA_KING, KING_MAIL, null), second(1));

            assertThat(applyEvent(update)).isEqualTo(new Applied("imported"));
            assertThat(applyEvent(creation)).isEqualTo(STALE);

            CustomerId id = linkedTo(cus);
            assertThat(catalog.size()).isEqualTo(1);
            assertThat(local(id).name()).isEqualTo(ADA_KING);
            assertThat(local(id).email()).contains(KING_MAIL);
            assertThat(outbox.changes()).singleElement().extracting(CustomerChange::kind).isEqualTo(ChangeKind.CREATED);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(observed.calls()).isEmpty();
        }

        @Test
        void aCreationAndUpdateOfOneSecondArrivingReversedEndWithTheSystemsCurrentState() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            ExternalCustomerEvent creation = created(inStripe(cus), second(0));
            CustomerId unknownHere = CustomerId.generate();
            stripe.update(cus, new CustomerDetails(unknownHere, ADA_KING, KING_MAIL), dashboardKey());
            ExternalCustomerEvent update = updated(inStripe(cus), second(0));

            assertThat(applyEvent(update)).isEqualTo(new Applied("imported"));
            assertThat(applyEvent(creation)).isInstanceOf(Ignored.class);

            CustomerId id = linkedTo(cus);
            assertThat(catalog.size()).isEqualTo(1);
            assertThat(local(id).version()).isEqualTo(Version.FIRST);
            assertBothSidesEqual(id, cus);
            assertThat(observed.calls()).containsExactly(new Call("fetch", null));
        }

        @Test
        void twoUpdatesOfOneSecondInDeliveryOrderEndWithTheSystemsCurrentState() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            List<ExternalCustomerEvent> updates = twoEditsInOneSecond(cus, id);

            assertThat(applyEvent(updates.get(0))).isEqualTo(new Applied("updated"));
            assertThat(applyEvent(updates.get(1))).isEqualTo(new Applied("updated"));

            assertBothSidesEqual(id, cus);
            assertThat(local(id).email()).contains(KING_MAIL);
            assertThat(observed.calls()).containsExactly(new Call("fetch", null));
        }

        @Test
        void twoUpdatesOfOneSecondInReverseOrderEndWithTheSystemsCurrentState() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            List<ExternalCustomerEvent> updates = twoEditsInOneSecond(cus, id);

            assertThat(applyEvent(updates.get(1))).isEqualTo(new Applied("updated"));
            assertThat(applyEvent(updates.get(0))).isInstanceOf(Ignored.class);

            assertBothSidesEqual(id, cus);
            assertThat(local(id).email()).contains(KING_MAIL);
            assertThat(local(id).version()).isEqualTo(new Version(2));
            assertThat(observed.calls()).containsExactly(new Call("fetch", null));
        }

        /** Ada renamed, then her email changed, in one second in the dashboard: the two events, in that order. */
        private List<ExternalCustomerEvent> twoEditsInOneSecond(ExternalId cus, CustomerId id) {
            editInStripe(cus, id, ADA_KING, ADA_MAIL);
            ExternalCustomerEvent renamed = updated(inStripe(cus), second(7));
            editInStripe(cus, id, ADA_KING, KING_MAIL);
            ExternalCustomerEvent newEmail = updated(inStripe(cus), second(7));
            return List.of(renamed, newEmail);
        }
    }

    @Nested
    class NoLoops {

        @Test
        void changesAppliedFromTheSystemAreQueuedAsItsOwnAndItsWorkerMakesNoCall() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            workOffOutbox();
            editInStripe(cus, id, ADA_KING, KING_MAIL);
            assertThat(applyEvent(updated(inStripe(cus), second(1)))).isEqualTo(new Applied("updated"));
            workOffOutbox();
            stripe.delete(cus, dashboardKey());
            assertThat(applyEvent(deleted(cus, second(2)))).isEqualTo(new Applied("deleted"));
            workOffOutbox();

            assertThat(outbox.changes()).extracting(CustomerChange::kind)
                    .containsExactly(ChangeKind.CREATED, ChangeKind.UPDATED, ChangeKind.DELETED);
            assertThat(outbox.changes()).extracting(CustomerChange::origin).containsOnly(ChangeOrigin.from(STRIPE));
            assertThat(stripeOutcomes).hasSize(3).containsOnly(new SyncOutcome.Skipped("came from stripe"));
            assertThat(observed.calls()).isEmpty();
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
        }

        @Test
        void changesAppliedFromTheSystemArePendingForEveryOtherSystemAndReachIt() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));

            assertThat(catalog.find(id, SALESFORCE)).get().extracting(ExternalLink::status).isEqualTo(SyncStatus.PENDING);
            workOffOutbox();
            ExternalId inSalesforce = catalog.find(id, SALESFORCE).orElseThrow().externalIdIfKnown().orElseThrow();
            assertThat(salesforce.fetch(inSalesforce)).contains(new ExternalCustomer(inSalesforce, ADA, ADA_MAIL, id));

            editInStripe(cus, id, ADA_KING, KING_MAIL);
            applyEvent(updated(inStripe(cus), second(1)));

            assertThat(catalog.find(id, SALESFORCE)).get().extracting(ExternalLink::status).isEqualTo(SyncStatus.PENDING);
            workOffOutbox();
            assertThat(salesforce.fetch(inSalesforce)).contains(new ExternalCustomer(inSalesforce, ADA_KING, KING_MAIL, id));
            assertThat(salesforceOutcomes).extracting(Object::getClass).containsOnly(SyncOutcome.Applied.class);
            assertThat(observed.calls()).isEmpty();
        }
    }

    @Nested
    class Echoes {

        @Test
        void theEchoesOfOurOwnWritesChangeNothingAndMakeNoCall() {
            CustomerId id = registerAda();
            workOffOutbox();
            ExternalId cus = link(id).externalIdIfKnown().orElseThrow();
            List<InboundOutcome> echoes = new ArrayList<>();
            // Both writes fell in one second: the second echo has the time of the first.
            echoes.add(applyEvent(echo(ExternalEventKind.CREATED, inStripe(cus), second(3), observed.writes().getLast())));
            customers.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));
            workOffOutbox();
            Map<CustomerId, Customer> before = catalog.contents();
            ExternalLink synced = link(id);
            echoes.add(applyEvent(echo(ExternalEventKind.UPDATED, inStripe(cus), second(3), observed.writes().getLast())));

            assertThat(observed.calls()).extracting(Call::operation).containsExactly("create", "update");
            assertThat(echoes).containsOnly(ECHO);
            assertThat(catalog.contents()).isEqualTo(before);
            assertThat(outbox.changes()).hasSize(2);
            assertThat(link(id)).isEqualTo(new ExternalLink(id, STRIPE, cus, SyncStatus.SYNCED, synced.syncedAt(), null,
                    new Version(2), second(3)));
        }

        @Test
        void theEchoOfOurOwnDeletionChangesNothingAndMakesNoCall() {
            CustomerId id = registerAda();
            workOffOutbox();
            ExternalId cus = link(id).externalIdIfKnown().orElseThrow();
            customers.delete(new DeleteCustomerCommand(id, null));
            workOffOutbox();
            Call deletion = observed.writes().getLast();
            assertThat(deletion.operation()).isEqualTo("delete");
            Map<CustomerId, Customer> before = catalog.contents();
            observed.forget();

            InboundOutcome outcome = applyEvent(event(ExternalEventKind.DELETED, cus, null, second(2),
                    Objects.requireNonNull(deletion.key()).value()));

            assertThat(outcome).isEqualTo(ECHO);
            assertThat(catalog.contents()).isEqualTo(before);
            assertThat(outbox.changes()).hasSize(2);
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
            assertThat(observed.calls()).isEmpty();
        }

        @Test
        void anEventCausedBySomeoneElsesKeyedRequestIsApplied() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            editInStripe(cus, id, ADA_KING, KING_MAIL);

            InboundOutcome outcome = applyEvent(event(ExternalEventKind.UPDATED, cus, inStripe(cus), second(1),
                    "billing-portal-7f3a"));

            assertThat(outcome).isEqualTo(new Applied("updated"));
            assertBothSidesEqual(id, cus);
        }

        @Test
        void anEchoArrivingBeforeTheWorkerRecordedTheExternalIdTeachesItToTheLinkAndImportsNothing() {
            CustomerId id = registerAda();
            List<InboundOutcome> echoes = new ArrayList<>();
            List<ExternalLink> linksMeanwhile = new ArrayList<>();
            ExternalSystemPort webhookFirst = afterEachCreate(observed, (created, key) -> {
                echoes.add(applyEvent(event(ExternalEventKind.CREATED, created, inStripe(created), second(1),
                        key.value())));
                linksMeanwhile.add(link(id));
            });

            SyncOutcome outcome = worker(webhookFirst).sync(lastChange());

            ExternalId cus = stripe.customers().getFirst().id();
            assertThat(outcome).isEqualTo(new SyncOutcome.Applied("created", cus));
            assertThat(echoes).containsExactly(ECHO);
            assertThat(linksMeanwhile).singleElement().satisfies(meanwhile -> {
                assertThat(meanwhile.externalIdIfKnown()).contains(cus);
                assertThat(meanwhile.status()).isEqualTo(SyncStatus.PENDING);
            });
            assertThat(catalog.size()).isEqualTo(1);
            assertThat(outbox.changes()).hasSize(1);
            assertThat(stripe.customers()).hasSize(1);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(link(id).externalIdIfKnown()).contains(cus);
            assertThat(link(id).lastEvent()).contains(second(1));
        }

        @Test
        void aCreationCarryingOurIdLinksToThatCustomerInsteadOfImportingOne() {
            CustomerId id = registerAda();
            ExternalId cus = stripe.seed(ADA, ADA_MAIL, id);

            InboundOutcome outcome = applyEvent(created(inStripe(cus), second(0)));

            assertThat(outcome).isInstanceOf(Applied.class);
            assertThat(catalog.size()).isEqualTo(1);
            assertThat(outbox.changes()).hasSize(1);
            assertThat(link(id).externalIdIfKnown()).contains(cus);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            workOffOutbox();
            assertThat(stripeOutcomes).singleElement().isInstanceOf(SyncOutcome.Skipped.class);
            assertThat(observed.calls()).isEmpty();
            assertThat(stripe.customers()).hasSize(1);
        }
    }

    @Nested
    class ConcurrentEdits {

        @Test
        void aLocalEditWaitingInTheOutboxAndAnEditInTheSystemEndWithBothSidesEqual() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            workOffOutbox();
            customers.update(new UpdateCustomerCommand(id, ADA_KING, ADA_MAIL, null));
            editInStripe(cus, id, ADA, KING_MAIL);

            assertThat(applyEvent(updated(inStripe(cus), second(5)))).isEqualTo(new Applied("updated"));
            workOffOutbox();

            assertBothSidesEqual(id, cus);
            assertThat(observed.writes()).isEmpty();
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(catalog.find(id, SALESFORCE)).get().extracting(ExternalLink::status).isEqualTo(SyncStatus.SYNCED);
            assertThat(salesforce.customers()).singleElement()
                    .satisfies(there -> assertThat(there.email()).isEqualTo(local(id).email().orElseThrow()));
        }

        @Test
        void anEditInTheSystemThatOurWaitingEditLandedAfterEndsWithTheSystemsStateOnBothSides() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            workOffOutbox();
            customers.update(new UpdateCustomerCommand(id, ADA_KING, ADA_MAIL, null));
            editInStripe(cus, id, ADA, KING_MAIL);
            ExternalCustomerEvent dashboardEdit = updated(inStripe(cus), second(5));
            workOffOutbox();
            Call ourWrite = observed.writes().getLast();
            ExternalCustomerEvent ourEcho = echo(ExternalEventKind.UPDATED, inStripe(cus), second(6), ourWrite);
            assertThat(applyEvent(dashboardEdit)).isEqualTo(new Applied("updated"));
            assertThat(local(id).name()).isEqualTo(ADA);
            observed.forget();

            InboundOutcome outcome = applyEvent(ourEcho);

            assertThat(outcome).isEqualTo(new Applied("updated"));
            assertBothSidesEqual(id, cus);
            assertThat(local(id).name()).isEqualTo(ADA_KING);
            assertThat(observed.calls()).extracting(Call::operation).containsExactly("fetch");
            workOffOutbox();
            assertThat(observed.writes()).isEmpty();
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(salesforce.customers()).singleElement()
                    .satisfies(there -> assertThat(there.name()).isEqualTo(ADA_KING));
        }

        @Test
        void aLateEchoOfAnEarlierWriteOfOursAsksTheSystemAndChangesNothingWhenItHoldsOurLatestState() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            customers.update(new UpdateCustomerCommand(id, ADA_KING, ADA_MAIL, null));
            workOffOutbox();
            Call first = observed.writes().getLast();
            ExternalCustomerEvent firstEcho = echo(ExternalEventKind.UPDATED, inStripe(cus), second(3), first);
            customers.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));
            workOffOutbox();
            Map<CustomerId, Customer> before = catalog.contents();
            observed.forget();

            InboundOutcome outcome = applyEvent(firstEcho);

            assertThat(outcome).isEqualTo(new Ignored("already equal"));
            assertThat(catalog.contents()).isEqualTo(before);
            assertThat(observed.calls()).extracting(Call::operation).containsExactly("fetch");
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
        }

        @Test
        void anEchoOfOursWhileANewerLocalEditWaitsChangesNothingAndAsksNothing() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            customers.update(new UpdateCustomerCommand(id, ADA_KING, ADA_MAIL, null));
            workOffOutbox();
            ExternalCustomerEvent firstEcho = echo(ExternalEventKind.UPDATED, inStripe(cus), second(3),
                    observed.writes().getLast());
            customers.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));
            Map<CustomerId, Customer> before = catalog.contents();
            observed.forget();

            InboundOutcome outcome = applyEvent(firstEcho);

            assertThat(outcome).isEqualTo(ECHO);
            assertThat(catalog.contents()).isEqualTo(before);
            assertThat(observed.calls()).isEmpty();
            assertThat(link(id).status()).isEqualTo(SyncStatus.PENDING);
        }
    }

    @Nested
    class ImportsAndConflicts {

        @Test
        void aCustomerWithoutEmailIsImportedWithoutOne() {
            ExternalId cus = createdInStripe(ADA, null);

            assertThat(applyEvent(created(inStripe(cus), second(0)))).isEqualTo(new Applied("imported"));

            Customer imported = local(linkedTo(cus));
            assertThat(imported.name()).isEqualTo(ADA);
            assertThat(imported.email()).isEmpty();
        }

        @Test
        void aCustomerWithoutANameIsNamedByItsEmail() {
            ExternalId cus = createdInStripe(null, ADA_MAIL);

            assertThat(applyEvent(created(inStripe(cus), second(0)))).isEqualTo(new Applied("imported"));

            Customer imported = local(linkedTo(cus));
            assertThat(imported.name()).isEqualTo(new CustomerName(ADA_MAIL.value()));
            assertThat(imported.email()).contains(ADA_MAIL);
        }

        @Test
        void aCustomerWithoutNameOrEmailIsNamedByItsId() {
            ExternalId cus = createdInStripe(null, null);

            assertThat(applyEvent(created(inStripe(cus), second(0)))).isEqualTo(new Applied("imported"));

            assertThat(local(linkedTo(cus)).name()).isEqualTo(new CustomerName(cus.value()));
        }

        @Test
        void aCustomerWhoseEmailBelongsToALocalCustomerNotLinkedYetIsLinkedToIt() {
            CustomerId id = registerAda();
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);

            assertThat(applyEvent(created(inStripe(cus), second(0)))).isEqualTo(new Applied("linked by email"));

            assertThat(catalog.size()).isEqualTo(1);
            assertThat(link(id).externalIdIfKnown()).contains(cus);
            assertThat(link(id).status()).isEqualTo(SyncStatus.SYNCED);
            workOffOutbox();
            assertThat(observed.calls()).isEmpty();
            assertThat(stripe.customers()).hasSize(1);
        }

        @Test
        void aCustomerWhoseEmailBelongsToACustomerLinkedToAnotherIsImportedWithoutItAsAConflict() {
            ExternalId adaInStripe = createdInStripe(ADA, ADA_MAIL);
            CustomerId ada = imported(adaInStripe, second(0));
            Customer adaBefore = local(ada);
            ExternalId other = createdInStripe(GRACE, ADA_MAIL);

            InboundOutcome outcome = applyEvent(created(inStripe(other), second(1)));

            assertThat(outcome).isEqualTo(new Conflict("email belongs to a customer linked to another stripe customer"));
            CustomerId imported = linkedTo(other);
            assertThat(imported).isNotEqualTo(ada);
            assertThat(local(imported).name()).isEqualTo(GRACE);
            assertThat(local(imported).email()).isEmpty();
            assertThat(link(imported)).satisfies(link -> {
                assertThat(link.status()).isEqualTo(SyncStatus.CONFLICT);
                assertThat(link.externalIdIfKnown()).contains(other);
                assertThat(link.lastErrorIfAny()).get().asString()
                        .contains(ADA_MAIL.value(), ada.toString(), adaInStripe.value());
            });
            assertThat(local(ada)).isEqualTo(adaBefore);
            assertThat(link(ada).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(lastChange().customerId()).isEqualTo(imported);
            assertThat(catalog.find(imported, SALESFORCE)).get().extracting(ExternalLink::status)
                    .isEqualTo(SyncStatus.PENDING);
        }

        @Test
        void anUpdateToTheEmailOfAnotherLocalCustomerIsAConflictThatChangesNothing() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId ada = imported(cus, second(0));
            customers.register(new RegisterCustomerCommand(GRACE, GRACE_MAIL));
            Map<CustomerId, Customer> before = catalog.contents();
            int changes = outbox.changes().size();
            editInStripe(cus, ada, ADA_KING, GRACE_MAIL);

            InboundOutcome outcome = applyEvent(updated(inStripe(cus), second(1)));

            assertThat(outcome).isEqualTo(new Conflict("email taken by another customer"));
            assertThat(catalog.contents()).isEqualTo(before);
            assertThat(outbox.changes()).hasSize(changes);
            assertThat(link(ada).lastEvent()).contains(second(1));
            assertThat(link(ada).status()).isEqualTo(SyncStatus.CONFLICT);
            assertThat(link(ada).lastErrorIfAny()).get().asString().contains(GRACE_MAIL.value());
        }

        @Test
        void anEmailConflictEndsWhenTheSystemGivesTheEmailBack() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId ada = imported(cus, second(0));
            customers.register(new RegisterCustomerCommand(GRACE, GRACE_MAIL));
            editInStripe(cus, ada, ADA, GRACE_MAIL);
            applyEvent(updated(inStripe(cus), second(1)));
            assertThat(link(ada).status()).isEqualTo(SyncStatus.CONFLICT);
            editInStripe(cus, ada, ADA, ADA_MAIL);

            InboundOutcome outcome = applyEvent(updated(inStripe(cus), second(2)));

            assertThat(outcome).isEqualTo(new Ignored("already equal"));
            assertThat(link(ada).status()).isEqualTo(SyncStatus.SYNCED);
            assertThat(link(ada).lastError()).isNull();
            assertBothSidesEqual(ada, cus);
        }

        @Test
        void anEmailConflictEndsWhenTheCustomerIsEditedHere() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId ada = imported(cus, second(0));
            customers.register(new RegisterCustomerCommand(GRACE, GRACE_MAIL));
            editInStripe(cus, ada, ADA, GRACE_MAIL);
            applyEvent(updated(inStripe(cus), second(1)));
            workOffOutbox();

            customers.update(new UpdateCustomerCommand(ada, ADA_KING, ADA_MAIL, null));
            workOffOutbox();

            assertThat(link(ada).status()).isEqualTo(SyncStatus.SYNCED);
            assertBothSidesEqual(ada, cus);
        }
    }

    @Nested
    class Deletes {

        @Test
        void aDeletionDeletesTheLocalCustomerMarksTheLinkDeletedAndQueuesTheChange() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            stripe.delete(cus, dashboardKey());

            assertThat(applyEvent(deleted(cus, second(3)))).isEqualTo(new Applied("deleted"));

            assertThat(catalog.find(id)).isEmpty();
            Customer tombstone = catalog.stored(id).orElseThrow();
            assertThat(tombstone.isDeleted()).isTrue();
            assertThat(tombstone.version()).isEqualTo(new Version(2));
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
            assertThat(link(id).externalIdIfKnown()).contains(cus);
            assertThat(lastChange()).satisfies(change -> {
                assertThat(change.kind()).isEqualTo(ChangeKind.DELETED);
                assertThat(change.version()).isEqualTo(new Version(2));
                assertThat(change.origin()).isEqualTo(ChangeOrigin.from(STRIPE));
            });
            assertThat(catalog.find(id, SALESFORCE)).get().extracting(ExternalLink::status).isEqualTo(SyncStatus.PENDING);
        }

        @Test
        void noLaterEventBringsADeletedCustomerBack() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            ExternalCustomer beforeDeletion = inStripe(cus);
            stripe.delete(cus, dashboardKey());
            applyEvent(deleted(cus, second(3)));
            Map<CustomerId, Customer> afterDeletion = catalog.contents();
            int changes = outbox.changes().size();

            assertThat(applyEvent(updated(beforeDeletion, second(2)))).isEqualTo(STALE);
            assertThat(applyEvent(updated(beforeDeletion, second(3)))).isInstanceOf(Ignored.class);
            assertThat(applyEvent(updated(beforeDeletion, second(9)))).isInstanceOf(Ignored.class);
            assertThat(applyEvent(created(beforeDeletion, second(9)))).isInstanceOf(Ignored.class);

            assertThat(catalog.contents()).isEqualTo(afterDeletion);
            assertThat(catalog.find(id)).isEmpty();
            assertThat(outbox.changes()).hasSize(changes);
            assertThat(link(id).status()).isEqualTo(SyncStatus.DELETED);
        }

        @Test
        void theDeletionOfACustomerNeverKnownHereIsIgnored() {
            InboundOutcome outcome = applyEvent(deleted(new ExternalId("cus_never_seen"), second(0)));

            assertThat(outcome).isEqualTo(new Ignored("deleted a customer never known here"));
            assertThat(catalog.size()).isZero();
            assertThat(outbox.changes()).isEmpty();
            assertThat(ledger.size()).isEqualTo(1);
        }
    }

    @Nested
    class Values {

        @Test
        void anAbsentNameOrEmailNeverClearsTheLocalOne() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));

            assertThat(applyEvent(updated(new ExternalCustomer(cus, null, null, null), second(1))))
                    .isInstanceOf(Ignored.class);
            assertThat(local(id).version()).isEqualTo(Version.FIRST);

            assertThat(applyEvent(updated(new ExternalCustomer(cus, ADA_KING, null, null), second(2))))
                    .isEqualTo(new Applied("updated"));
            assertThat(local(id).name()).isEqualTo(ADA_KING);
            assertThat(local(id).email()).contains(ADA_MAIL);

            assertThat(applyEvent(updated(new ExternalCustomer(cus, null, KING_MAIL, null), second(3))))
                    .isEqualTo(new Applied("updated"));
            assertThat(local(id).name()).isEqualTo(ADA_KING);
            assertThat(local(id).email()).contains(KING_MAIL);
        }
    }

    @Nested
    class Unavailability {

        @Test
        void anUnavailableCatalogDefersTheEventAndItIsAppliedWhenDeliveredAgain() {
            DatabaseOutage outage = new DatabaseOutage();
            ExternalChangeApplier guarded = new ExternalChangeApplier(parser, observed,
                    outage.guard(CustomerCatalog.class, catalog), outage.guard(ExternalLinks.class, catalog),
                    outage.guard(ChangeOutbox.class, outbox), outage.guard(InboundLedger.class, ledger),
                    outage.guard(InboundBatchStore.class, batches), outage.guard(UnitOfWork.class, unitOfWork), TARGETS, clock);
            ExternalCustomerEvent creation = created(inStripe(createdInStripe(ADA, ADA_MAIL)), second(0));
            outage.begin();

            InboundOutcome outcome = applyWith(guarded, creation);

            assertThat(outcome).isInstanceOfSatisfying(Deferred.class,
                    deferred -> assertThat(deferred.retryAfter()).isPositive());
            assertThat(catalog.size()).isZero();
            assertThat(ledger.size()).isZero();

            outage.end();
            assertThat(applyWith(guarded, creation)).isEqualTo(new Applied("imported"));
            assertThat(catalog.size()).isEqualTo(1);
        }

        @Test
        void theSystemUnavailableForTheRefetchDefersTheEventWithItsRetryAfterAndChangesNothing() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            editInStripe(cus, id, ADA_KING, KING_MAIL);
            ExternalCustomerEvent sameSecond = updated(inStripe(cus), second(0));
            observed.goDown(new ExternalSystemUnavailable(STRIPE, "rate limited", Duration.ofSeconds(3), null));

            InboundOutcome outcome = applyEvent(sameSecond);

            assertThat(outcome).isInstanceOfSatisfying(Deferred.class, deferred -> {
                assertThat(deferred.retryAfter()).isEqualTo(Duration.ofSeconds(3));
                assertThat(deferred.reason()).contains("rate limited");
            });
            assertThat(local(id).version()).isEqualTo(Version.FIRST);
            assertThat(ledger.size()).isEqualTo(1);

            observed.comeBack();
            assertThat(applyEvent(sameSecond)).isEqualTo(new Applied("updated"));
            assertBothSidesEqual(id, cus);
        }

        @Test
        void aLocalWriteRacingTheEventDefersItAndItIsAppliedOnTheNewStateWhenDeliveredAgain() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            CustomerId id = imported(cus, second(0));
            editInStripe(cus, id, ADA_KING, ADA_MAIL);
            ExternalCustomerEvent renamed = updated(inStripe(cus), second(5));
            catalog.beforeNextReplace(() -> catalog.storeConcurrentChange(
                    local(id).change(ADA, KING_MAIL, clock.instant())));

            InboundOutcome outcome = applyEvent(renamed);

            if (racesAreRetriedAtOnce()) {
                assertThat(outcome).isEqualTo(new Applied("updated"));
            } else {
                assertThat(outcome).isInstanceOf(Deferred.class);
                assertThat(local(id).version()).isEqualTo(new Version(2));
                assertThat(outbox.changes()).hasSize(1);
                assertThat(applyEvent(renamed)).isEqualTo(new Applied("updated"));
            }
            assertThat(local(id).version()).isEqualTo(new Version(3));
            assertBothSidesEqual(id, cus);
            assertThat(lastChange().origin()).isEqualTo(ChangeOrigin.from(STRIPE));
        }
    }

    @Nested
    class Batches {

        @Test
        void aBatchOfCreatesAndUpdatesOfManyCustomersReadsAndWritesTheCatalogOnce() {
            List<ExternalId> ids = new ArrayList<>();
            List<ExternalCustomerEvent> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ExternalId cus = createdInStripe(new CustomerName("Customer " + i), new Email("c" + i + "@example.io"));
                ids.add(cus);
                batch.add(created(inStripe(cus), second(0)));
            }
            for (int i = 0; i < 20; i++) {
                batch.add(updated(new ExternalCustomer(ids.get(i), new CustomerName("Renamed " + i),
                        new Email("r" + i + "@example.io"), null), second(1)));
            }

            List<InboundOutcome> outcomes = applier.applyAll(batch);

            assertThat(outcomes.subList(0, 20)).containsOnly(new Applied("imported"));
            assertThat(outcomes.subList(20, 40)).containsOnly(new Applied("updated"));
            assertThat(batches.locks()).isEqualTo(1);
            assertThat(batches.writes()).isEqualTo(1);
            for (int i = 0; i < 20; i++) {
                Customer local = local(linkedTo(ids.get(i)));
                assertThat(local.name()).isEqualTo(new CustomerName("Renamed " + i));
                assertThat(local.email()).contains(new Email("r" + i + "@example.io"));
                assertThat(local.version()).isEqualTo(new Version(2));
            }
            assertThat(outbox.changes()).extracting(CustomerChange::kind).containsExactlyElementsOf(
                    java.util.stream.Stream.concat(java.util.Collections.nCopies(20, ChangeKind.CREATED).stream(),
                            java.util.Collections.nCopies(20, ChangeKind.UPDATED).stream()).toList());
            assertThat(observed.calls()).isEmpty();
        }

        @Test
        void aChangeFromStripeIsRecordedForNoOneWhenNoOtherSystemIsSyncedButStillApplied() {
            ExternalChangeApplier stripeOnly = new ExternalChangeApplier(parser, observed, catalog, catalog, outbox, ledger,
                    batches, unitOfWork, Set.of(STRIPE), clock);
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);

            assertThat(applyWith(stripeOnly, created(inStripe(cus), second(0)))).isEqualTo(new Applied("imported"));
            assertThat(applyWith(stripeOnly, updated(new ExternalCustomer(cus, ADA_KING, ADA_MAIL, null), second(1))))
                    .isEqualTo(new Applied("updated"));

            assertThat(local(linkedTo(cus)).name()).isEqualTo(ADA_KING);
            assertThat(outbox.changes()).isEmpty();
            assertThat(catalog.find(linkedTo(cus)).orElseThrow().links()).containsOnlyKeys(STRIPE);
        }

        @Test
        void theSameEventTwiceInOneBatchIsAppliedOnce() {
            ExternalCustomerEvent creation = created(inStripe(createdInStripe(ADA, ADA_MAIL)), second(0));

            assertThat(applier.applyAll(List.of(creation, creation))).containsExactly(new Applied("imported"), DUPLICATE);
            assertThat(catalog.size()).isEqualTo(1);
        }

        @Test
        void anEventTiedWithAnEarlierOneOfItsBatchIsAppliedWithTheSystemsCurrentStateAfterTheBatch() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);
            ExternalCustomerEvent creation = created(inStripe(cus), second(0));
            stripe.update(cus, new CustomerDetails(CustomerId.generate(), ADA_KING, KING_MAIL), dashboardKey());
            ExternalCustomerEvent renamed = updated(new ExternalCustomer(cus, GRACE, GRACE_MAIL, null), second(0));

            assertThat(applier.applyAll(List.of(creation, renamed)))
                    .containsExactly(new Applied("imported"), new Applied("updated"));

            assertThat(observed.calls()).extracting(Call::operation).containsExactly("fetch");
            assertThat(local(linkedTo(cus)).name()).isEqualTo(ADA_KING);
            assertThat(local(linkedTo(cus)).email()).contains(KING_MAIL);
        }

        @Test
        void aDeferredEventHoldsBackTheLaterEventsOfItsCustomerInTheBatchButNoOtherCustomer() {
            ExternalId ada = createdInStripe(ADA, ADA_MAIL);
            imported(ada, second(0));
            ExternalId grace = createdInStripe(GRACE, GRACE_MAIL);
            observed.goDown(new ExternalSystemUnavailable(STRIPE, "down for the test"));

            List<InboundOutcome> outcomes = applier.applyAll(List.of(
                    updated(new ExternalCustomer(ada, ADA_KING, ADA_MAIL, null), second(0)),
                    created(inStripe(grace), second(0)),
                    updated(new ExternalCustomer(ada, ADA_KING, KING_MAIL, null), second(3))));

            assertThat(outcomes.get(0)).isInstanceOf(Deferred.class);
            assertThat(outcomes.get(1)).isEqualTo(new Applied("imported"));
            assertThat(outcomes.get(2)).isEqualTo(outcomes.get(0));
            assertThat(local(linkedTo(ada)).version()).isEqualTo(new Version(1));
        }

        @Test
        void aLocalWriteRacingABatchLeavesNothingOfItAndItsEventsAreAppliedOneByOneOnTheNewState() {
            ExternalId ada = createdInStripe(ADA, ADA_MAIL);
            CustomerId adaId = imported(ada, second(0));
            ExternalId grace = createdInStripe(GRACE, GRACE_MAIL);
            CustomerId graceId = imported(grace, second(0));
            catalog.beforeNextReplace(() -> catalog.storeConcurrentChange(local(adaId).change(ADA, KING_MAIL, clock.instant())));
            int changesBefore = outbox.changes().size();

            List<InboundOutcome> outcomes = applier.applyAll(List.of(
                    updated(new ExternalCustomer(ada, ADA_KING, null, null), second(2)),
                    updated(new ExternalCustomer(grace, new CustomerName("Grace Hopper"), GRACE_MAIL, null), second(2))));

            assertThat(outcomes).containsExactly(new Applied("updated"), new Applied("updated"));
            assertThat(local(adaId).name()).isEqualTo(ADA_KING);
            assertThat(local(adaId).email()).contains(KING_MAIL);
            assertThat(local(adaId).version()).isEqualTo(new Version(3));
            assertThat(local(graceId).version()).isEqualTo(new Version(2));
            assertThat(outbox.changes()).hasSize(changesBefore + 2);
        }
    }

    @Nested
    class Payloads {

        @Test
        void anUnreadablePayloadIsRejected() {
            InboundOutcome outcome = applier.handle("{\"object\": \"eve".getBytes(StandardCharsets.UTF_8));

            assertThat(outcome).isInstanceOfSatisfying(Rejected.class,
                    rejected -> assertThat(rejected.reason()).isNotBlank());
            assertThat(catalog.size()).isZero();
            assertThat(ledger.size()).isZero();
        }

        @Test
        void anEventOfATypeTheCoreDoesNotHandleIsIgnored() {
            InboundOutcome outcome = applier.handle(parser.payloadOfType("invoice.paid"));

            assertThat(outcome).isEqualTo(new Ignored("not a customer event we handle"));
            assertThat(catalog.size()).isZero();
            assertThat(ledger.size()).isZero();
        }

        @Test
        void aCustomerEventIsAppliedFromItsPayload() {
            ExternalId cus = createdInStripe(ADA, ADA_MAIL);

            InboundOutcome outcome = applier.handle(parser.payloadOf(created(inStripe(cus), second(0))));

            assertThat(outcome).isEqualTo(new Applied("imported"));
            assertThat(local(linkedTo(cus)).name()).isEqualTo(ADA);
        }

        @Test
        void anApplierTakesTheEventsOfItsOwnSystemOnly() {
            ExternalCustomerEvent fromSalesforce = new ExternalCustomerEvent(new EventId("evt_sf"), SALESFORCE,
                    ExternalEventKind.CREATED, new ExternalId("003"), second(0), null, null);

            assertThatThrownBy(() -> applyEvent(fromSalesforce)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ExternalChangeApplier(new ScriptedEventParser(SALESFORCE), observed, catalog,
                    catalog, outbox, ledger, batches, unitOfWork, TARGETS, clock)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private ChangeSynchronizer worker(ExternalSystemPort system) {
        return new ChangeSynchronizer(system, catalog, catalog, unitOfWork, DeleteMode.DELETE, RetryPolicy.standard(),
                new RecordingSleeper(clock), clock);
    }

    /** Hands every change recorded since the last call to both workers, as the relay and the workers would. */
    private void workOffOutbox() {
        List<CustomerChange> changes = outbox.changes();
        for (CustomerChange change : changes.subList(relayed, changes.size())) {
            stripeOutcomes.add(stripeWorker.sync(change));
            salesforceOutcomes.add(salesforceWorker.sync(change));
        }
        relayed = changes.size();
    }

    /** {@code system}, calling {@code afterCreate} with the new id and the key once a create took effect, before it answers. */
    private static ExternalSystemPort afterEachCreate(ExternalSystemPort system,
                                                      BiConsumer<ExternalId, IdempotencyKey> afterCreate) {
        Object proxy = Proxy.newProxyInstance(ExternalSystemPort.class.getClassLoader(),
                new Class<?>[] {ExternalSystemPort.class}, (self, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(system, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("create")) {
                        afterCreate.accept((ExternalId) result, (IdempotencyKey) args[1]);
                    }
                    return result;
                });
        return (ExternalSystemPort) proxy;
    }

    private CustomerId registerAda() {
        return customers.register(new RegisterCustomerCommand(ADA, ADA_MAIL)).customer().id();
    }

    /** A customer made in the dashboard: not ours, no local id. */
    private ExternalId createdInStripe(@Nullable CustomerName name, @Nullable Email email) {
        return stripe.seed(name, email, null);
    }

    /** An edit in the dashboard; the in-memory system writes our local id along, which changes nothing here. */
    private void editInStripe(ExternalId cus, CustomerId id, CustomerName name, Email email) {
        stripe.update(cus, new CustomerDetails(id, name, email), dashboardKey());
    }

    private IdempotencyKey dashboardKey() {
        return new IdempotencyKey("dashboard-" + ++dashboardEdits);
    }

    private ExternalCustomer inStripe(ExternalId cus) {
        return stripe.fetch(cus).orElseThrow();
    }

    /** Imports the Stripe customer through its creation event, at {@code at}. */
    private CustomerId imported(ExternalId cus, Instant at) {
        assertThat(applyEvent(created(inStripe(cus), at))).isEqualTo(new Applied("imported"));
        return linkedTo(cus);
    }

    private CustomerId linkedTo(ExternalId cus) {
        return catalog.findByExternalId(STRIPE, cus).orElseThrow().customerId();
    }

    private ExternalCustomerEvent created(ExternalCustomer state, Instant at) {
        return event(ExternalEventKind.CREATED, state.id(), state, at, null);
    }

    private ExternalCustomerEvent updated(ExternalCustomer state, Instant at) {
        return event(ExternalEventKind.UPDATED, state.id(), state, at, null);
    }

    private ExternalCustomerEvent deleted(ExternalId cus, Instant at) {
        return event(ExternalEventKind.DELETED, cus, null, at, null);
    }

    /** The event of one of our worker's writes, as Stripe sends it: carrying the write's idempotency key. */
    private ExternalCustomerEvent echo(ExternalEventKind kind, ExternalCustomer state, Instant at, Call write) {
        return event(kind, state.id(), state, at, Objects.requireNonNull(write.key()).value());
    }

    private ExternalCustomerEvent event(ExternalEventKind kind, ExternalId cus, @Nullable ExternalCustomer state,
                                        Instant at, @Nullable String requestKey) {
        return new ExternalCustomerEvent(new EventId("evt_" + ++events), STRIPE, kind, cus, at, state, requestKey);
    }

    private static Instant second(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private Customer local(CustomerId id) {
        return catalog.find(id).orElseThrow().customer();
    }

    private ExternalLink link(CustomerId id) {
        return catalog.find(id, STRIPE).orElseThrow();
    }

    private CustomerChange lastChange() {
        return outbox.changes().getLast();
    }

    /** The local customer and the Stripe customer hold the same name and email. */
    private void assertBothSidesEqual(CustomerId id, ExternalId cus) {
        Customer here = local(id);
        ExternalCustomer there = inStripe(cus);
        assertThat(there.name()).isEqualTo(here.name());
        assertThat(Optional.ofNullable(there.email())).isEqualTo(here.email());
    }
}
