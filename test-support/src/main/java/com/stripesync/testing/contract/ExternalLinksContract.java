package com.stripesync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ExternalLinks} adapter shares. Extend it once per adapter: {@link #links()}
 * hands over the links of a store without customers, and {@link #store(Customer)} stores a customer the way
 * the catalog does, so that the links see its current version.
 *
 * <p>The rules: a pending mark keeps what the link knows (external id, sync time, handled version) and
 * clears an error; an outcome records its version as handled, but never overwrites the outcome of the same
 * or a newer version; an outcome for a version older than the customer's leaves the link PENDING (the
 * newer change is still on its way); the error is kept on a FAILED or CONFLICT link only. An event recorded
 * on a link keeps the later event time and gives the link an external id only if it has none, creating a
 * SYNCED link when there is none. An external id belongs to one customer per system.
 */
public abstract class ExternalLinksContract {

    protected static final SystemName STRIPE = new SystemName("stripe");
    protected static final SystemName CRM = new SystemName("salesforce");

    /** Sub-microsecond digits, so that a store that keeps more (or less) precision than another shows. */
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00.123456789Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusSeconds(120);
    private static final Instant T3 = T0.plusSeconds(180);
    private static final ExternalId CUS_1 = new ExternalId("cus_1");
    private static final ExternalId CUS_2 = new ExternalId("cus_2");

    /** The links under test, over a store without customers; called at the start of each test. */
    protected abstract ExternalLinks links();

    /** Stores the customer as the catalog does: a first version is added, a later one replaces the one before it. */
    protected abstract void store(Customer customer);

    @Test
    void aCustomerNeverMarkedHasNoLink() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");

        assertThat(links.find(ada.id(), STRIPE)).isEmpty();
    }

    @Test
    void aPendingMarkCreatesAPendingLinkWithoutExternalId() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");

        links.markPending(ada.id(), STRIPE, ada.version());

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, null, SyncStatus.PENDING, null, null, null));
    }

    @Test
    void aSyncedOutcomeRecordsTheExternalIdTheTimeAndTheHandledVersion() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markPending(ada.id(), STRIPE, ada.version());

        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        ExternalLink synced = links.find(ada.id(), STRIPE).orElseThrow();
        assertThat(synced).isEqualTo(link(ada, CUS_1, SyncStatus.SYNCED, T1, null, Version.FIRST));
        assertThat(synced.hasHandled(Version.FIRST)).isTrue();
    }

    @Test
    void timesAreKeptToTheMicrosecond() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");

        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        assertThat(links.find(ada.id(), STRIPE).orElseThrow().syncedAt())
                .isEqualTo(T1.truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void aPendingMarkKeepsTheExternalIdTheSyncTimeAndTheHandledVersion() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);
        Customer renamed = changed(ada);

        links.markPending(ada.id(), STRIPE, renamed.version());

        ExternalLink pending = links.find(ada.id(), STRIPE).orElseThrow();
        assertThat(pending).isEqualTo(link(ada, CUS_1, SyncStatus.PENDING, T1, null, Version.FIRST));
        assertThat(pending.hasHandled(renamed.version())).isFalse();
    }

    @Test
    void aPendingMarkClearsTheErrorOfAnEarlierFailure() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markFailed(ada.id(), STRIPE, ada.version(), "refused", T1);
        Customer renamed = changed(ada);

        links.markPending(ada.id(), STRIPE, renamed.version());

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, null, SyncStatus.PENDING, null, null, Version.FIRST));
    }

    @Test
    void aFailureRecordsTheErrorAndKeepsTheExternalIdAndTheSyncTime() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);
        Customer renamed = changed(ada);
        links.markPending(ada.id(), STRIPE, renamed.version());

        links.markFailed(ada.id(), STRIPE, renamed.version(), "email refused", T2);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_1, SyncStatus.FAILED, T1, "email refused", renamed.version()));
    }

    @Test
    void aLaterSuccessClearsTheError() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markFailed(ada.id(), STRIPE, ada.version(), "refused", T1);
        Customer renamed = changed(ada);
        links.markPending(ada.id(), STRIPE, renamed.version());

        links.markSynced(ada.id(), STRIPE, CUS_1, renamed.version(), T2);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_1, SyncStatus.SYNCED, T2, null, renamed.version()));
    }

    @Test
    void anOutcomeForAnOlderVersionNeverOverwritesANewerOne() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer renamed = changed(ada);
        links.markSynced(ada.id(), STRIPE, CUS_2, renamed.version(), T2);
        ExternalLink newer = links.find(ada.id(), STRIPE).orElseThrow();

        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T3);
        links.markFailed(ada.id(), STRIPE, ada.version(), "late refusal", T3);
        links.markDeleted(ada.id(), STRIPE, ada.version(), T3);
        links.markConflict(ada.id(), STRIPE, CUS_1, ada.version(), "late conflict", T3);

        assertThat(links.find(ada.id(), STRIPE)).contains(newer);
        assertThat(newer).isEqualTo(link(ada, CUS_2, SyncStatus.SYNCED, T2, null, renamed.version()));
    }

    @Test
    void aSecondOutcomeForTheHandledVersionChangesNothing() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        links.markSynced(ada.id(), STRIPE, CUS_2, ada.version(), T2);
        links.markFailed(ada.id(), STRIPE, ada.version(), "redelivered", T2);

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, CUS_1, SyncStatus.SYNCED, T1, null, Version.FIRST));
    }

    @Test
    void aSuccessForAVersionOlderThanTheCustomersLeavesTheLinkPending() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer renamed = changed(ada);
        links.markPending(ada.id(), STRIPE, renamed.version());

        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        ExternalLink link = links.find(ada.id(), STRIPE).orElseThrow();
        assertThat(link).isEqualTo(link(ada, CUS_1, SyncStatus.PENDING, T1, null, Version.FIRST));
        assertThat(link.hasHandled(renamed.version())).isFalse();
    }

    @Test
    void aFailureForAVersionOlderThanTheCustomersLeavesTheLinkPendingWithoutError() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        changed(ada);

        links.markFailed(ada.id(), STRIPE, ada.version(), "refused", T1);

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, null, SyncStatus.PENDING, null, null, Version.FIRST));
    }

    @Test
    void aDeletionKeepsTheExternalIdAndRecordsWhen() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);
        Customer tombstone = deleted(ada);
        links.markPending(ada.id(), STRIPE, tombstone.version());

        links.markDeleted(ada.id(), STRIPE, tombstone.version(), T2);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_1, SyncStatus.DELETED, T2, null, tombstone.version()));
    }

    @Test
    void theDeletionOfACustomerNeverSyncedIsRecorded() {
        ExternalLinks links = links();
        Customer tombstone = deleted(registered("Ada"));

        links.markDeleted(tombstone.id(), STRIPE, tombstone.version(), T2);

        assertThat(links.find(tombstone.id(), STRIPE))
                .contains(link(tombstone, null, SyncStatus.DELETED, T2, null, tombstone.version()));
    }

    @Test
    void eachCustomerHasOneLinkPerSystem() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer bob = registered("Bob");

        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);
        links.markFailed(ada.id(), CRM, ada.version(), "duplicate", T1);
        links.markPending(bob.id(), CRM, bob.version());

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, CUS_1, SyncStatus.SYNCED, T1, null, Version.FIRST));
        assertThat(links.find(ada.id(), CRM))
                .contains(new ExternalLink(ada.id(), CRM, null, SyncStatus.FAILED, null, "duplicate", Version.FIRST, null));
        assertThat(links.find(bob.id(), STRIPE)).isEmpty();
        assertThat(links.find(bob.id(), CRM))
                .contains(new ExternalLink(bob.id(), CRM, null, SyncStatus.PENDING, null, null, null, null));
    }

    @Test
    void marksForACustomerNeverStoredAreNotFound() {
        ExternalLinks links = links();
        CustomerId stranger = CustomerId.generate();

        assertThatThrownBy(() -> links.markPending(stranger, STRIPE, Version.FIRST)).isInstanceOf(CustomerNotFound.class);
        assertThatThrownBy(() -> links.markSynced(stranger, STRIPE, CUS_1, Version.FIRST, T1))
                .isInstanceOf(CustomerNotFound.class);
        assertThatThrownBy(() -> links.markFailed(stranger, STRIPE, Version.FIRST, "refused", T1))
                .isInstanceOf(CustomerNotFound.class);
        assertThatThrownBy(() -> links.markDeleted(stranger, STRIPE, Version.FIRST, T1))
                .isInstanceOf(CustomerNotFound.class);
        assertThatThrownBy(() -> links.markConflict(stranger, STRIPE, CUS_1, Version.FIRST, "clash", T1))
                .isInstanceOf(CustomerNotFound.class);
        assertThatThrownBy(() -> links.recordEvent(stranger, STRIPE, CUS_1, T1)).isInstanceOf(CustomerNotFound.class);
        assertThat(links.find(stranger, STRIPE)).isEmpty();
    }

    @Test
    void aVeryLongErrorIsRecordedFromItsStart() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        String error = "refused: " + "x".repeat(10_000);

        links.markFailed(ada.id(), STRIPE, ada.version(), error, T1);

        ExternalLink failed = links.find(ada.id(), STRIPE).orElseThrow();
        assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.lastError()).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(error).startsWith(failed.lastError());
    }

    @Test
    void aLinkIsFoundByItsExternalIdWhateverItsStatus() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer bob = registered("Bob");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);
        links.markSynced(bob.id(), STRIPE, CUS_2, bob.version(), T1);
        Customer renamed = changed(ada);

        links.markPending(ada.id(), STRIPE, renamed.version());

        assertThat(links.findByExternalId(STRIPE, CUS_1))
                .contains(link(ada, CUS_1, SyncStatus.PENDING, T1, null, Version.FIRST));
        assertThat(links.findByExternalId(STRIPE, CUS_2)).map(ExternalLink::customerId).contains(bob.id());
    }

    @Test
    void anExternalIdIsFoundOnlyInItsOwnSystem() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        assertThat(links.findByExternalId(CRM, CUS_1)).isEmpty();
        assertThat(links.findByExternalId(STRIPE, new ExternalId("cus_unknown"))).isEmpty();
    }

    @Test
    void aConflictRecordsTheExternalIdTheErrorAndTheHandledVersion() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");

        links.markConflict(ada.id(), STRIPE, CUS_1, ada.version(), "email taken", T1);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_1, SyncStatus.CONFLICT, null, "email taken", Version.FIRST));
        assertThat(links.findByExternalId(STRIPE, CUS_1)).map(ExternalLink::status).contains(SyncStatus.CONFLICT);
    }

    @Test
    void aConflictKeepsTheSyncTimeAndTakesTheGivenExternalId() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);
        Customer renamed = changed(ada);
        links.markPending(ada.id(), STRIPE, renamed.version());

        links.markConflict(ada.id(), STRIPE, CUS_2, renamed.version(), "email taken", T2);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_2, SyncStatus.CONFLICT, T1, "email taken", renamed.version()));
    }

    @Test
    void aConflictForAVersionOlderThanTheCustomersLeavesTheLinkPendingWithoutErrorButWithTheExternalId() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        changed(ada);

        links.markConflict(ada.id(), STRIPE, CUS_1, ada.version(), "email taken", T1);

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, CUS_1, SyncStatus.PENDING, null, null, Version.FIRST));
    }

    @Test
    void aConflictSeenInTheSystemReplacesTheSuccessOfTheSameVersion() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        links.markConflict(ada.id(), STRIPE, CUS_1, ada.version(), "email taken", T2);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_1, SyncStatus.CONFLICT, T1, "email taken", Version.FIRST));
    }

    @Test
    void aConfirmedSyncReplacesTheConflictOrFailureOfTheSameVersion() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer bob = registered("Bob");
        links.markConflict(ada.id(), STRIPE, CUS_1, ada.version(), "email taken", T1);
        links.markFailed(bob.id(), STRIPE, bob.version(), "refused", T1);

        links.confirmSynced(ada.id(), STRIPE, CUS_1, ada.version(), T2);
        links.confirmSynced(bob.id(), STRIPE, CUS_2, bob.version(), T2);

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, CUS_1, SyncStatus.SYNCED, T2, null, Version.FIRST));
        assertThat(links.find(bob.id(), STRIPE)).contains(link(bob, CUS_2, SyncStatus.SYNCED, T2, null, Version.FIRST));
    }

    @Test
    void neitherAConflictNorAConfirmedSyncReplacesTheOutcomeOfALaterVersion() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer renamed = changed(ada);
        links.markFailed(ada.id(), STRIPE, renamed.version(), "refused", T1);
        ExternalLink failed = links.find(ada.id(), STRIPE).orElseThrow();

        links.confirmSynced(ada.id(), STRIPE, CUS_1, ada.version(), T2);
        links.markConflict(ada.id(), STRIPE, CUS_1, ada.version(), "email taken", T2);

        assertThat(links.find(ada.id(), STRIPE)).contains(failed);
    }

    @Test
    void aLaterSuccessClearsAConflict() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markConflict(ada.id(), STRIPE, CUS_1, ada.version(), "email taken", T1);
        Customer renamed = changed(ada);

        links.markSynced(ada.id(), STRIPE, CUS_1, renamed.version(), T2);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_1, SyncStatus.SYNCED, T2, null, renamed.version()));
    }

    @Test
    void anEventForACustomerWithoutLinkCreatesASyncedLink() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");

        links.recordEvent(ada.id(), STRIPE, CUS_1, T1);

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, CUS_1, SyncStatus.SYNCED, null, null, null, T1));
        assertThat(links.find(ada.id(), CRM)).isEmpty();
    }

    @Test
    void anEventKeepsTheLaterOfTheRecordedAndTheGivenTime() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.recordEvent(ada.id(), STRIPE, CUS_1, T2);

        links.recordEvent(ada.id(), STRIPE, CUS_1, T1);
        assertThat(links.find(ada.id(), STRIPE).orElseThrow().lastEventAt()).isEqualTo(micros(T2));

        links.recordEvent(ada.id(), STRIPE, CUS_1, T3);
        assertThat(links.find(ada.id(), STRIPE).orElseThrow().lastEventAt()).isEqualTo(micros(T3));
    }

    @Test
    void anEventNeverReplacesTheExternalIdOfTheLink() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        links.recordEvent(ada.id(), STRIPE, CUS_2, T2);

        assertThat(links.find(ada.id(), STRIPE)).contains(link(ada, CUS_1, SyncStatus.SYNCED, T1, null, Version.FIRST, T2));
        assertThat(links.findByExternalId(STRIPE, CUS_2)).isEmpty();
    }

    @Test
    void anEventGivesItsExternalIdToALinkWithoutOneAndKeepsEverythingElse() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.markFailed(ada.id(), STRIPE, ada.version(), "refused", T1);

        links.recordEvent(ada.id(), STRIPE, CUS_1, T2);

        assertThat(links.find(ada.id(), STRIPE))
                .contains(link(ada, CUS_1, SyncStatus.FAILED, null, "refused", Version.FIRST, T2));
    }

    @Test
    void theLastEventTimeIsKeptToTheMicrosecondAndSurvivesLaterMarks() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        links.recordEvent(ada.id(), STRIPE, CUS_1, T0);
        Customer renamed = changed(ada);

        links.markPending(ada.id(), STRIPE, renamed.version());
        links.markFailed(ada.id(), STRIPE, renamed.version(), "refused", T1);
        Customer again = changed(renamed);
        links.markSynced(ada.id(), STRIPE, CUS_1, again.version(), T2);
        links.markConflict(ada.id(), STRIPE, CUS_1, changed(again).version(), "email taken", T2);

        ExternalLink link = links.find(ada.id(), STRIPE).orElseThrow();
        assertThat(link.lastEventAt()).isEqualTo(micros(T0)).isNotEqualTo(T0);
        assertThat(links.findByExternalId(STRIPE, CUS_1)).contains(link);
    }

    @Test
    void anExternalIdHeldByAnotherCustomersLinkIsRefusedNamingBothCustomers() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer bob = registered("Bob");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        assertThatThrownBy(() -> links.markSynced(bob.id(), STRIPE, CUS_1, bob.version(), T2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll(ada.id().toString(), bob.id().toString(), CUS_1.value());
        assertThatThrownBy(() -> links.markConflict(bob.id(), STRIPE, CUS_1, bob.version(), "clash", T2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll(ada.id().toString(), bob.id().toString(), CUS_1.value());
        assertThatThrownBy(() -> links.recordEvent(bob.id(), STRIPE, CUS_1, T2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll(ada.id().toString(), bob.id().toString(), CUS_1.value());

        assertThat(links.find(bob.id(), STRIPE)).isEmpty();
        assertThat(links.findByExternalId(STRIPE, CUS_1))
                .contains(link(ada, CUS_1, SyncStatus.SYNCED, T1, null, Version.FIRST));
    }

    @Test
    void anExternalIdIsRefusedToAnotherCustomerWhoseLinkExistsAndThatLinkIsKept() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer bob = registered("Bob");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);
        links.markPending(bob.id(), STRIPE, bob.version());

        assertThatThrownBy(() -> links.markSynced(bob.id(), STRIPE, CUS_1, bob.version(), T2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll(ada.id().toString(), bob.id().toString());

        assertThat(links.find(bob.id(), STRIPE)).contains(link(bob, null, SyncStatus.PENDING, null, null, null));
    }

    @Test
    void theSameExternalIdMayBelongToDifferentCustomersInDifferentSystems() {
        ExternalLinks links = links();
        Customer ada = registered("Ada");
        Customer bob = registered("Bob");
        links.markSynced(ada.id(), STRIPE, CUS_1, ada.version(), T1);

        links.markSynced(bob.id(), CRM, CUS_1, bob.version(), T1);
        links.recordEvent(bob.id(), STRIPE, CUS_2, T1);
        // Bob's link keeps its own id, so the event gives nothing that clashes.
        links.recordEvent(bob.id(), STRIPE, CUS_1, T2);

        assertThat(links.findByExternalId(CRM, CUS_1)).map(ExternalLink::customerId).contains(bob.id());
        assertThat(links.findByExternalId(STRIPE, CUS_1)).map(ExternalLink::customerId).contains(ada.id());
        assertThat(links.find(bob.id(), STRIPE)).map(ExternalLink::externalId).contains(CUS_2);
    }

    private Customer registered(String name) {
        Customer customer = Customer.register(new CustomerName(name), null, T0);
        store(customer);
        return customer;
    }

    private Customer changed(Customer before) {
        Customer next = before.change(new CustomerName(before.name().value() + " (renamed)"), null,
                before.updatedAt().plusSeconds(1));
        store(next);
        return next;
    }

    private Customer deleted(Customer before) {
        Customer tombstone = before.delete(before.updatedAt().plusSeconds(1));
        store(tombstone);
        return tombstone;
    }

    /** The link to {@link #STRIPE} as the store should hold it, without an event, times at the microsecond. */
    private static ExternalLink link(Customer customer, @Nullable ExternalId externalId, SyncStatus status,
                                     @Nullable Instant syncedAt, @Nullable String lastError,
                                     @Nullable Version handledVersion) {
        return link(customer, externalId, status, syncedAt, lastError, handledVersion, null);
    }

    /** The link to {@link #STRIPE} as the store should hold it, times at the microsecond. */
    private static ExternalLink link(Customer customer, @Nullable ExternalId externalId, SyncStatus status,
                                     @Nullable Instant syncedAt, @Nullable String lastError,
                                     @Nullable Version handledVersion, @Nullable Instant lastEventAt) {
        return new ExternalLink(customer.id(), STRIPE, externalId, status, micros(syncedAt), lastError, handledVersion,
                micros(lastEventAt));
    }

    private static @Nullable Instant micros(@Nullable Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }
}
