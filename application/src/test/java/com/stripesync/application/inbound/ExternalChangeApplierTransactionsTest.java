package com.stripesync.application.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.application.inbound.InboundOutcome.Applied;
import com.stripesync.application.inbound.InboundOutcome.Conflict;
import com.stripesync.application.inbound.InboundOutcome.Deferred;
import com.stripesync.application.inbound.InboundOutcome.Ignored;
import com.stripesync.application.sync.SettableClock;
import com.stripesync.application.transaction.TransactionJournal;
import com.stripesync.application.transaction.TransactionJournal.Entry;
import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.ExternalEventKind;
import com.stripesync.domain.inbound.InboundBatchStore;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.testing.catalog.InMemoryChangeOutbox;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.testing.catalog.InMemoryInboundBatchStore;
import com.stripesync.testing.catalog.InMemoryInboundLedger;
import com.stripesync.testing.external.InMemoryExternalSystem;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The unit-of-work side of applying an event: its ledger entry, the catalog change, the change's outbox record
 * and the link marks commit together or not at all, and the call to the system a tie needs is made outside any
 * transaction. Every port sits behind a {@link TransactionJournal}, which notes the transaction of each call.
 */
class ExternalChangeApplierTransactionsTest {

    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static final SystemName STRIPE = new SystemName("stripe");
    private static final SystemName SALESFORCE = new SystemName("salesforce");
    private static final CustomerName ADA = new CustomerName("Ada");
    private static final Email ADA_MAIL = new Email("ada@example.io");
    private static final CustomerName ADA_KING = new CustomerName("Ada King");

    private static final Set<String> WRITES = Set.of("InboundLedger.recordOnce", "CustomerCatalog.add",
            "CustomerCatalog.replace", "ChangeOutbox.append", "ChangeOutbox.markPublished", "ExternalLinks.markPending",
            "ExternalLinks.markSynced", "ExternalLinks.confirmSynced", "ExternalLinks.markFailed", "ExternalLinks.markConflict",
            "ExternalLinks.recordEvent", "ExternalLinks.markDeleted");

    private final SettableClock clock = new SettableClock(T0);
    private final TransactionJournal journal = new TransactionJournal();
    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();
    private final FailingOutbox outbox = new FailingOutbox();
    private final InMemoryInboundLedger ledger = new InMemoryInboundLedger();
    private final InMemoryExternalSystem stripe = new InMemoryExternalSystem(STRIPE);
    private final ExternalChangeApplier applier = new ExternalChangeApplier(new ScriptedEventParser(STRIPE),
            journal.watch(ExternalSystemPort.class, stripe), journal.watch(CustomerCatalog.class, catalog),
            journal.watch(ExternalLinks.class, catalog), journal.watch(ChangeOutbox.class, outbox),
            journal.watch(InboundLedger.class, ledger),
            journal.watch(InboundBatchStore.class, new InMemoryInboundBatchStore(catalog, outbox, ledger)), journal,
            Set.of(STRIPE, SALESFORCE), clock);
    private int events;

    @Test
    void anImportCommitsItsLedgerEntryTheCustomerItsChangeAndItsLinksInOneTransaction() {
        ExternalId cus = stripe.seed(ADA, ADA_MAIL, null);

        assertThat(applier.apply(created(cus, second(0)))).isEqualTo(new Applied("imported"));

        assertOneCommittedTransaction(0, "InboundLedger.recordOnce", "CustomerCatalog.add", "ChangeOutbox.append",
                "ExternalLinks.markPending", "ExternalLinks.recordEvent", "ExternalLinks.markSynced");
    }

    @Test
    void anUpdateCommitsItsLedgerEntryTheNewVersionItsChangeAndItsLinksInOneTransaction() {
        ExternalId cus = imported();

        assertThat(applier.apply(updated(new ExternalCustomer(cus, ADA_KING, ADA_MAIL, null), second(1))))
                .isEqualTo(new Applied("updated"));

        assertOneCommittedTransaction(1, "InboundLedger.recordOnce", "ExternalLinks.recordEvent",
                "CustomerCatalog.replace", "ChangeOutbox.append", "ExternalLinks.markPending", "ExternalLinks.markSynced");
    }

    @Test
    void aDeletionCommitsItsLedgerEntryTheTombstoneItsChangeAndItsLinksInOneTransaction() {
        ExternalId cus = imported();

        assertThat(applier.apply(event(ExternalEventKind.DELETED, cus, null, second(1)))).isEqualTo(new Applied("deleted"));

        assertOneCommittedTransaction(1, "InboundLedger.recordOnce", "ExternalLinks.recordEvent",
                "CustomerCatalog.replace", "ChangeOutbox.append", "ExternalLinks.markPending", "ExternalLinks.markDeleted");
    }

    @Test
    void aConflictingImportCommitsItsLedgerEntryTheCustomerItsChangeAndTheConflictInOneTransaction() {
        imported();
        ExternalId other = stripe.seed(new CustomerName("Grace"), ADA_MAIL, null);

        assertThat(applier.apply(created(other, second(1)))).isInstanceOf(Conflict.class);

        assertOneCommittedTransaction(1, "InboundLedger.recordOnce", "CustomerCatalog.add", "ChangeOutbox.append",
                "ExternalLinks.markPending", "ExternalLinks.recordEvent", "ExternalLinks.markConflict");
    }

    @Test
    void aStaleEventCommitsNothingButItsLedgerEntryAndARedeliveryOfTheLastEventWritesNothing() {
        ExternalId cus = imported();
        ExternalCustomerEvent renamed = updated(new ExternalCustomer(cus, ADA_KING, ADA_MAIL, null), second(5));
        applier.apply(renamed);
        int before = journal.transactions();

        assertThat(applier.apply(updated(new ExternalCustomer(cus, new CustomerName("Ada B"), ADA_MAIL, null),
                second(3)))).isInstanceOf(Ignored.class);
        assertThat(applier.apply(renamed)).isEqualTo(new Ignored("duplicate"));

        assertThat(journal.transactions()).isEqualTo(before + 1);
        assertThat(writesIn(before + 1)).containsExactly("InboundLedger.recordOnce");
        assertThat(outbox.changes()).hasSize(2);
    }

    @Test
    void aFailureAfterTheCatalogChangeRollsTheLedgerEntryBackWithIt() {
        ExternalId cus = stripe.seed(ADA, ADA_MAIL, null);
        outbox.failNextAppend(new CatalogUnavailable("The database cannot be reached",
                new IllegalStateException("connection reset (simulated)")));

        InboundOutcome outcome = applier.apply(created(cus, second(0)));

        assertThat(outcome).isInstanceOf(Deferred.class);
        assertThat(journal.transactions()).isEqualTo(1);
        assertThat(journal.rolledBack(1)).isTrue();
        assertThat(writesIn(1)).containsExactly("InboundLedger.recordOnce", "CustomerCatalog.add", "ChangeOutbox.append");
        assertThat(writesIn(0)).isEmpty();
    }

    @Test
    void anUnexpectedFailureAfterTheCatalogChangeEscapesAndRollsTheLedgerEntryBackWithIt() {
        ExternalId cus = imported();
        IllegalStateException bug = new IllegalStateException("a bug (simulated)");
        outbox.failNextAppend(bug);

        assertThatThrownBy(() -> applier.apply(updated(new ExternalCustomer(cus, ADA_KING, ADA_MAIL, null), second(1))))
                .isSameAs(bug);

        assertThat(journal.rolledBack(2)).isTrue();
        assertThat(writesIn(2)).containsExactly("InboundLedger.recordOnce", "ExternalLinks.recordEvent",
                "CustomerCatalog.replace", "ChangeOutbox.append");
    }

    @Test
    void theRefetchATieNeedsIsMadeOutsideTheTransaction() {
        ExternalId cus = imported();
        ExternalCustomerEvent sameSecond = updated(new ExternalCustomer(cus, ADA_KING, ADA_MAIL, null), second(0));

        applier.apply(sameSecond);

        assertThat(journal.entriesOf(Set.of("ExternalSystemPort.fetch")))
                .containsExactly(new Entry(0, "ExternalSystemPort.fetch"));
        assertThat(journal.transactions()).isEqualTo(2);
        assertThat(journal.callsIn(2)).doesNotContain("ExternalSystemPort.fetch");
        assertThat(writesIn(0)).isEmpty();
    }

    /** Ada, created in Stripe and imported at second 0 in the first transaction. */
    private ExternalId imported() {
        ExternalId cus = stripe.seed(ADA, ADA_MAIL, null);
        assertThat(applier.apply(created(cus, second(0)))).isEqualTo(new Applied("imported"));
        assertThat(journal.transactions()).isEqualTo(1);
        return cus;
    }

    private ExternalCustomerEvent created(ExternalId cus, Instant at) {
        return event(ExternalEventKind.CREATED, cus, stripe.fetch(cus).orElseThrow(), at);
    }

    private ExternalCustomerEvent updated(ExternalCustomer state, Instant at) {
        return event(ExternalEventKind.UPDATED, state.id(), state, at);
    }

    private ExternalCustomerEvent event(ExternalEventKind kind, ExternalId cus, @Nullable ExternalCustomer state,
                                        Instant at) {
        return new ExternalCustomerEvent(new EventId("evt_" + ++events), STRIPE, kind, cus, at, state, null);
    }

    private static Instant second(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private List<String> writesIn(int transaction) {
        return journal.entriesOf(WRITES).stream().filter(entry -> entry.transaction() == transaction)
                .map(Entry::call).toList();
    }

    /** Exactly one transaction after the first {@code before}, committed, holding these writes in this order, and no write outside one. */
    private void assertOneCommittedTransaction(int before, String... writes) {
        assertThat(journal.transactions()).isEqualTo(before + 1);
        assertThat(journal.rolledBack(before + 1)).isFalse();
        assertThat(writesIn(before + 1)).containsExactly(writes);
        assertThat(writesIn(0)).isEmpty();
        assertThat(outbox.changes().getLast().origin()).isEqualTo(ChangeOrigin.from(STRIPE));
    }

    /** The in-memory outbox, failing its next append when told to, as an insert into the outbox table can. */
    private static final class FailingOutbox implements ChangeOutbox {

        private final InMemoryChangeOutbox changes = new InMemoryChangeOutbox();
        private @Nullable RuntimeException nextFailure;

        void failNextAppend(RuntimeException failure) {
            nextFailure = failure;
        }

        List<CustomerChange> changes() {
            return changes.changes();
        }

        @Override
        public ChangeId append(Customer after, ChangeKind kind, ChangeOrigin origin) {
            RuntimeException failure = nextFailure;
            if (failure != null) {
                nextFailure = null;
                throw failure;
            }
            return changes.append(after, kind, origin);
        }

        @Override
        public List<CustomerChange> lockNextUnpublished(int limit) {
            return changes.lockNextUnpublished(limit);
        }

        @Override
        public void markPublished(List<ChangeId> ids) {
            changes.markPublished(ids);
        }
    }
}
