package com.stripesync.application.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.application.transaction.TransactionJournal;
import com.stripesync.application.transaction.TransactionJournal.Entry;
import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.testing.catalog.InMemoryChangeOutbox;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The outbox and link side of the customer use cases: every stored change is queued for every system, atomically. */
class CustomerServiceQueuesChangesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T09:00:00.123456Z");
    private static final SystemName STRIPE = new SystemName("stripe");
    private static final SystemName SALESFORCE = new SystemName("salesforce");
    private static final CustomerName ADA = new CustomerName("Ada");
    private static final Email ADA_MAIL = new Email("ada@example.io");
    private static final CustomerName ADA_KING = new CustomerName("Ada King");
    private static final Email KING_MAIL = new Email("ada.king@example.io");
    private static final ExternalId ADA_IN_STRIPE = new ExternalId("cus_Ada");

    private static final Set<String> WRITES = Set.of("CustomerCatalog.add", "CustomerCatalog.replace",
            "ChangeOutbox.append", "ChangeOutbox.markPublished", "ExternalLinks.markPending", "ExternalLinks.markSynced",
            "ExternalLinks.markFailed", "ExternalLinks.markDeleted");

    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();
    private final InMemoryChangeOutbox outbox = new InMemoryChangeOutbox();
    private final TransactionJournal journal = new TransactionJournal();
    private final CustomerService service = service(Set.of(STRIPE, SALESFORCE));

    @Test
    void registeringQueuesOneCreatedChangeAndMarksEverySystemPendingInOneTransaction() {
        LinkedCustomer ada = service.register(new RegisterCustomerCommand(ADA, ADA_MAIL));

        CustomerId id = ada.customer().id();
        assertThat(outbox.changes()).containsExactly(new CustomerChange(new ChangeId(1), id, Version.FIRST,
                ChangeKind.CREATED, new CustomerDetails(id, ADA, ADA_MAIL), ChangeOrigin.LOCAL, NOW));
        assertThat(ada.links()).containsOnlyKeys(STRIPE, SALESFORCE);
        assertThat(ada.links().values()).allSatisfy(link -> {
            assertThat(link.status()).isEqualTo(SyncStatus.PENDING);
            assertThat(link.externalIdIfKnown()).isEmpty();
        });
        assertQueuedInOneTransaction(0, "CustomerCatalog.add");
    }

    @Test
    void updatingQueuesOneUpdatedChangeWithTheNewSnapshotAndMarksEverySystemPendingInOneTransaction() {
        CustomerId id = registerAdaSyncedToStripe();
        int before = journal.transactions();

        LinkedCustomer updated = service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, Version.FIRST));

        assertThat(outbox.changes()).hasSize(2).last().isEqualTo(new CustomerChange(new ChangeId(2), id,
                new Version(2), ChangeKind.UPDATED, new CustomerDetails(id, ADA_KING, KING_MAIL), ChangeOrigin.LOCAL,
                updated.customer().updatedAt()));
        assertEverySystemPending(updated);
        assertQueuedInOneTransaction(before, "CustomerCatalog.replace");
    }

    @Test
    void deletingQueuesOneDeletedChangeAtTheTombstonesVersionAndMarksEverySystemPendingInOneTransaction() {
        CustomerId id = registerAdaSyncedToStripe();
        service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));
        int before = journal.transactions();

        service.delete(new DeleteCustomerCommand(id, new Version(2)));

        Customer tombstone = catalog.stored(id).orElseThrow();
        assertThat(outbox.changes()).hasSize(3).last().isEqualTo(new CustomerChange(new ChangeId(3), id,
                new Version(3), ChangeKind.DELETED, new CustomerDetails(id, ADA_KING, KING_MAIL), ChangeOrigin.LOCAL,
                tombstone.updatedAt()));
        assertThat(catalog.find(id, STRIPE).orElseThrow().status()).isEqualTo(SyncStatus.PENDING);
        assertThat(catalog.find(id, SALESFORCE).orElseThrow().status()).isEqualTo(SyncStatus.PENDING);
        assertThat(catalog.find(id, STRIPE).orElseThrow().externalIdIfKnown()).contains(ADA_IN_STRIPE);
        assertQueuedInOneTransaction(before, "CustomerCatalog.replace");
    }

    @Test
    void anUnchangedUpdateQueuesNothingAndLeavesTheLinksAlone() {
        CustomerId id = registerAdaSyncedToStripe();
        ExternalLink synced = catalog.find(id, STRIPE).orElseThrow();
        int before = journal.transactions();

        service.update(new UpdateCustomerCommand(id, ADA, ADA_MAIL, Version.FIRST));

        assertThat(outbox.changes()).hasSize(1);
        assertThat(catalog.find(id, STRIPE)).contains(synced);
        assertThat(journal.transactions()).isEqualTo(before);
    }

    @Test
    void anUpdateRefusedForATakenEmailQueuesNothing() {
        CustomerId id = registerAdaSyncedToStripe();
        service.register(new RegisterCustomerCommand(ADA_KING, KING_MAIL));
        ExternalLink synced = catalog.find(id, STRIPE).orElseThrow();
        int before = journal.transactions();

        assertThatThrownBy(() -> service.update(new UpdateCustomerCommand(id, ADA, KING_MAIL, null)))
                .isInstanceOf(EmailAlreadyInUse.class);

        assertThat(outbox.changes()).hasSize(2);
        assertThat(catalog.find(id, STRIPE)).contains(synced);
        assertThat(journal.callsIn(before + 1)).doesNotContain("ChangeOutbox.append", "ExternalLinks.markPending");
        assertThat(journal.rolledBack(before + 1)).isTrue();
    }

    @Test
    void aStaleUpdateOrDeleteQueuesNothing() {
        CustomerId id = registerAdaSyncedToStripe();
        service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));
        int before = journal.transactions();

        assertThatThrownBy(() -> service.update(new UpdateCustomerCommand(id, ADA, ADA_MAIL, Version.FIRST)))
                .isInstanceOf(StaleVersion.class);
        assertThatThrownBy(() -> service.delete(new DeleteCustomerCommand(id, Version.FIRST)))
                .isInstanceOf(StaleVersion.class);

        assertThat(outbox.changes()).hasSize(2);
        assertThat(journal.transactions()).isEqualTo(before);
    }

    @Test
    void anUpdateReappliedAfterLosingARaceQueuesOneChangeAtTheVersionItStored() {
        CustomerId id = registerAdaSyncedToStripe();
        catalog.beforeNextReplace(() -> {
            Customer current = catalog.stored(id).orElseThrow();
            catalog.storeConcurrentChange(current.change(new CustomerName("Someone else"), ADA_MAIL, NOW));
        });
        int before = journal.transactions();

        service.update(new UpdateCustomerCommand(id, ADA_KING, KING_MAIL, null));

        assertThat(outbox.changes()).extracting(CustomerChange::version).containsExactly(Version.FIRST, new Version(3));
        assertThat(outbox.changes().getLast().details()).isEqualTo(new CustomerDetails(id, ADA_KING, KING_MAIL));
        assertThat(journal.rolledBack(before + 1)).isTrue();
        assertThat(journal.callsIn(before + 1)).doesNotContain("ChangeOutbox.append", "ExternalLinks.markPending");
        assertQueuedInOneTransaction(before + 1, "CustomerCatalog.replace");
    }

    @Test
    void withoutSyncTargetsAChangeIsStillRecordedButNoLinkIsMade() {
        CustomerService unsynced = service(Set.of());

        LinkedCustomer ada = unsynced.register(new RegisterCustomerCommand(ADA, ADA_MAIL));

        assertThat(outbox.changes()).singleElement().extracting(CustomerChange::customerId)
                .isEqualTo(ada.customer().id());
        assertThat(ada.links()).isEmpty();
    }

    private CustomerService service(Set<SystemName> targets) {
        return new CustomerService(journal.watch(CustomerCatalog.class, catalog), journal.watch(ChangeOutbox.class, outbox),
                journal.watch(ExternalLinks.class, catalog), journal, targets, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Ada registered, her creation already synced to Stripe (marked on the store directly, outside the journal). */
    private CustomerId registerAdaSyncedToStripe() {
        CustomerId id = service.register(new RegisterCustomerCommand(ADA, ADA_MAIL)).customer().id();
        catalog.markSynced(id, STRIPE, ADA_IN_STRIPE, Version.FIRST, NOW);
        return id;
    }

    private void assertEverySystemPending(LinkedCustomer customer) {
        assertThat(customer.links()).containsOnlyKeys(STRIPE, SALESFORCE);
        assertThat(customer.links().values()).extracting(ExternalLink::status).containsOnly(SyncStatus.PENDING);
        assertThat(customer.links().get(STRIPE).externalIdIfKnown()).contains(ADA_IN_STRIPE);
    }

    /**
     * Every write after the first {@code before} transactions ran in the one transaction right after them: the
     * catalog write, one change appended, and a PENDING mark per system.
     */
    private void assertQueuedInOneTransaction(int before, String catalogWrite) {
        List<Entry> writes = journal.entriesOf(WRITES).stream()
                .filter(entry -> entry.transaction() == 0 || entry.transaction() > before)
                .toList();
        assertThat(journal.transactions()).isEqualTo(before + 1);
        assertThat(writes).extracting(Entry::transaction).containsOnly(before + 1);
        assertThat(writes).extracting(Entry::call).containsExactly(catalogWrite, "ChangeOutbox.append",
                "ExternalLinks.markPending", "ExternalLinks.markPending");
        assertThat(journal.rolledBack(before + 1)).isFalse();
    }
}
