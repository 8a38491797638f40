package com.stripesync.application.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.application.transaction.TransactionJournal;
import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.ChangePublishFailed;
import com.stripesync.domain.change.ChangePublisher;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.testing.catalog.InMemoryChangeOutbox;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

    private final InMemoryChangeOutbox outbox = new InMemoryChangeOutbox();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final TransactionJournal journal = new TransactionJournal();
    private final ChangeOutbox watchedOutbox = journal.watch(ChangeOutbox.class, outbox);
    private final ChangePublisher watchedPublisher = journal.watch(ChangePublisher.class, publisher);

    @Test
    void publishesTheUnpublishedChangesInIdOrderAndMarksThemPublished() {
        appendChanges(3);

        int relayed = relay(10).relayNextBatch();

        assertThat(relayed).isEqualTo(3);
        assertThat(publisher.batches()).singleElement()
                .satisfies(batch -> assertThat(ids(batch)).containsExactly(1L, 2L, 3L));
        assertThat(unpublished()).isEmpty();
    }

    @Test
    void publishesOneBatchAtATimeInIdOrderUntilTheOutboxIsDrained() {
        appendChanges(5);
        OutboxRelay relay = relay(2);

        assertThat(List.of(relay.relayNextBatch(), relay.relayNextBatch(), relay.relayNextBatch(),
                relay.relayNextBatch())).containsExactly(2, 2, 1, 0);

        assertThat(publisher.batches()).extracting(OutboxRelayTest::ids)
                .containsExactly(List.of(1L, 2L), List.of(3L, 4L), List.of(5L));
    }

    @Test
    void marksPublishedOnlyAfterThePublisherReturnedAndAllInOneTransaction() {
        appendChanges(2);

        relay(10).relayNextBatch();

        assertThat(journal.transactions()).isEqualTo(1);
        assertThat(journal.callsIn(1)).containsExactly("ChangeOutbox.lockNextUnpublished", "ChangePublisher.publish",
                "ChangeOutbox.markPublished");
        assertThat(publisher.unpublishedWhilePublishing()).containsExactly(List.of(1L, 2L));
    }

    @Test
    void aFailedPublishLeavesEveryChangeUnpublishedRollsBackAndIsRethrown() {
        appendChanges(3);
        ChangePublishFailed failure = new ChangePublishFailed("no acknowledgement in time", new TimeoutException());
        publisher.failNext(failure);

        assertThatThrownBy(() -> relay(10).relayNextBatch()).isSameAs(failure);

        assertThat(ids(unpublished())).containsExactly(1L, 2L, 3L);
        assertThat(journal.callsIn(1)).doesNotContain("ChangeOutbox.markPublished");
        assertThat(journal.rolledBack(1)).isTrue();
    }

    @Test
    void theBatchAFailedPublishLeftIsPublishedByTheNextRelay() {
        appendChanges(2);
        publisher.failNext(new ChangePublishFailed("no acknowledgement in time", new TimeoutException()));
        OutboxRelay relay = relay(10);
        assertThatThrownBy(relay::relayNextBatch).isInstanceOf(ChangePublishFailed.class);

        assertThat(relay.relayNextBatch()).isEqualTo(2);

        assertThat(publisher.batches()).extracting(OutboxRelayTest::ids).containsExactly(List.of(1L, 2L));
        assertThat(unpublished()).isEmpty();
    }

    @Test
    void anEmptyOutboxRelaysNothingAndPublishesNothing() {
        assertThat(relay(10).relayNextBatch()).isZero();

        assertThat(publisher.calls()).isZero();
        assertThat(journal.callsIn(1)).containsExactly("ChangeOutbox.lockNextUnpublished");
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> relay(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private OutboxRelay relay(int batchSize) {
        return new OutboxRelay(watchedOutbox, watchedPublisher, journal, batchSize);
    }

    private void appendChanges(int count) {
        LongStream.rangeClosed(1, count).forEach(i -> outbox.append(
                Customer.register(new CustomerName("Customer " + i), new Email("c" + i + "@example.io"), T0),
                ChangeKind.CREATED, ChangeOrigin.LOCAL));
    }

    private List<CustomerChange> unpublished() {
        return outbox.lockNextUnpublished(Integer.MAX_VALUE);
    }

    private static List<Long> ids(List<CustomerChange> changes) {
        return changes.stream().map(CustomerChange::id).map(ChangeId::value).toList();
    }

    /** Takes every batch it is given, or fails as told; notes what the outbox still held unpublished meanwhile. */
    private final class RecordingPublisher implements ChangePublisher {

        private final List<List<CustomerChange>> batches = new ArrayList<>();
        private final List<List<Long>> unpublishedWhilePublishing = new ArrayList<>();
        private final Queue<ChangePublishFailed> failures = new ArrayDeque<>();
        private int calls;

        @Override
        public void publish(List<CustomerChange> changes) {
            calls++;
            unpublishedWhilePublishing.add(ids(unpublished()));
            ChangePublishFailed failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            batches.add(List.copyOf(changes));
        }

        void failNext(ChangePublishFailed failure) {
            failures.add(failure);
        }

        List<List<CustomerChange>> batches() {
            return batches;
        }

        List<List<Long>> unpublishedWhilePublishing() {
            return unpublishedWhilePublishing;
        }

        int calls() {
            return calls;
        }
    }
}
