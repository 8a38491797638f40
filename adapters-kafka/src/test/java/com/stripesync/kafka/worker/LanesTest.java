package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The lanes without Kafka: records are finished by the test, one by one. */
class LanesTest {

    private static final TopicPartition P0 = new TopicPartition("records", 0);
    private static final TopicPartition P1 = new TopicPartition("records", 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Work that runs until the test finishes the record (true) or the thread is interrupted (false). */
    private final Map<Long, CountDownLatch> finish = new ConcurrentHashMap<>();
    private final List<Long> started = new CopyOnWriteArrayList<>();
    private final List<Long> interrupted = new CopyOnWriteArrayList<>();
    /** Offsets whose work waits for a retry an hour away instead, and reports how that wait ended. */
    private final Set<Long> waitingForRetry = ConcurrentHashMap.newKeySet();
    private final Map<Long, Boolean> retried = new ConcurrentHashMap<>();

    private Lanes lanes(int maxInFlight) {
        return new Lanes(maxInFlight, Thread.ofVirtual().name("lanes-test-", 0).factory(), (record, partition) -> {
            started.add(record.offset());
            if (waitingForRetry.contains(record.offset())) {
                boolean retry = partition.awaitRetry(Duration.ofHours(1));
                retried.put(record.offset(), retry);
                return retry;
            }
            try {
                return latch(record.offset()).await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.add(record.offset());
                return false;
            }
        });
    }

    @Test
    void aKeysRecordsRunOneAfterTheOtherInOffsetOrderWhileOtherKeysRunAlongside() {
        Lanes lanes = lanes(10);
        dispatch(lanes, record(P0, 0, "a"), record(P0, 1, "a"), record(P0, 2, "b"), record(P0, 3, "a"));

        await().atMost(WAIT).until(() -> started.containsAll(List.of(0L, 2L)));
        assertThat(started).as("a's second record waits for its first").containsExactlyInAnyOrder(0L, 2L);
        finish(2);
        finish(0);
        await().atMost(WAIT).until(() -> started.contains(1L));
        assertThat(started).doesNotContain(3L);
        finish(1);
        await().atMost(WAIT).until(() -> started.contains(3L));
        finish(3);
        await().atMost(WAIT).until(() -> lanes.inFlight() == 0);
        assertThat(started.stream().filter(offset -> offset != 2L)).containsExactly(0L, 1L, 3L);
        assertThat(lanes.committable(List.of(P0))).containsEntry(P0, new OffsetAndMetadata(4, Optional.of(1), ""));
    }

    @Test
    void recordsWithoutAKeyShareOneLanePerPartition() {
        Lanes lanes = lanes(10);
        dispatch(lanes, record(P0, 0, null), record(P0, 1, null), record(P1, 5, null));

        await().atMost(WAIT).until(() -> started.size() == 2);
        assertThat(started).as("P0@1 waits for P0@0; P1@5 runs alongside").containsExactlyInAnyOrder(0L, 5L);
        finish(0);
        await().atMost(WAIT).until(() -> started.contains(1L));
        finish(1);
        finish(5);
        await().atMost(WAIT).until(() -> lanes.inFlight() == 0);
    }

    @Test
    void theWindowCountsRecordsQueuedBehindTheirKeyNotOnlyRunningOnes() {
        Lanes lanes = lanes(3);
        dispatch(lanes, record(P0, 0, "a"), record(P0, 1, "a"), record(P0, 2, "a"));

        await().atMost(WAIT).until(() -> started.size() == 1);
        assertThat(lanes.hasRoom()).isFalse();
        assertThat(lanes.awaitRoom(Duration.ofMillis(50))).isFalse();
        finish(0);
        assertThat(lanes.awaitRoom(WAIT)).isTrue();
        assertThat(lanes.inFlight()).isEqualTo(2);
        assertThat(lanes.peakInFlight()).isEqualTo(3);
        finish(1);
        finish(2);
    }

    @Test
    void onlyTheDonePrefixOfEachPartitionIsCommittableAndOnlyOnce() {
        Lanes lanes = lanes(10);
        dispatch(lanes, record(P0, 0, "a"), record(P0, 1, "b"), record(P0, 2, "c"), record(P1, 5, "d"));
        await().atMost(WAIT).until(() -> started.size() == 4);

        finish(1);
        finish(2);
        finish(5);
        await().atMost(WAIT).until(() -> lanes.inFlight() == 1);
        assertThat(lanes.committable(List.of(P0, P1))).as("P0@0 is not done").isEqualTo(Map.of(P1, offset(6)));
        lanes.committed(Map.of(P1, offset(6)));
        assertThat(lanes.committable(List.of(P0, P1))).isEmpty();
        finish(0);
        await().atMost(WAIT).until(() -> lanes.inFlight() == 0);
        assertThat(lanes.committable(List.of(P0, P1))).isEqualTo(Map.of(P0, offset(3)));
    }

    @Test
    void aReleasedPartitionDropsItsQueuedRecordsEndsItsRetryWaitsAndLetsRunningRecordsFinish() {
        Lanes lanes = lanes(10);
        waitingForRetry.add(2L);
        dispatch(lanes, record(P0, 0, "a"), record(P0, 1, "a"), record(P0, 2, "b"), record(P1, 3, "c"));
        await().atMost(WAIT).until(() -> started.size() == 3);

        lanes.release(List.of(P0));

        await().atMost(WAIT).until(() -> retried.containsKey(2L));
        assertThat(retried).as("the wait for a retry ended at once, without a retry").containsEntry(2L, false);
        assertThat(lanes.awaitIdle(List.of(P0), Duration.ofMillis(100))).as("P0@0 still runs").isFalse();
        assertThat(lanes.inFlight()).as("P0@0 and P1@3; P0@1 dropped").isEqualTo(2);
        finish(0);
        assertThat(lanes.awaitIdle(List.of(P0), WAIT)).isTrue();
        assertThat(started).as("the queued record never started").doesNotContain(1L);
        assertThat(lanes.committable(List.of(P0))).as("0 done; 1 and 2 not").isEqualTo(Map.of(P0, offset(1)));
        lanes.forget(List.of(P0));
        assertThat(lanes.partitions()).containsExactly(P1);
        finish(3);
    }

    @Test
    void runningRecordsOfReleasedPartitionsCanBeInterrupted() {
        Lanes lanes = lanes(10);
        dispatch(lanes, record(P0, 0, "a"), record(P1, 1, "b"));
        await().atMost(WAIT).until(() -> started.size() == 2);

        lanes.release(List.of(P0));
        lanes.interrupt(List.of(P0));

        assertThat(lanes.awaitIdle(List.of(P0), WAIT)).isTrue();
        assertThat(interrupted).containsExactly(0L);
        assertThat(lanes.committable(List.of(P0))).isEmpty();
        finish(1);
    }

    @Test
    void aPartitionIsCrowdedWhenItsOldestRecordNotDoneHoldsBackTheLimit() {
        Lanes lanes = lanes(10);
        dispatch(lanes, record(P0, 0, "stuck"), record(P0, 1, "a"), record(P0, 2, "b"), record(P1, 3, "c"));
        finish(1);
        finish(2);
        finish(3);
        await().atMost(WAIT).until(() -> lanes.inFlight() == 1);

        assertThat(lanes.crowded(List.of(P0, P1), 3)).containsExactly(P0);
        assertThat(lanes.crowded(List.of(P0, P1), 4)).isEmpty();
        finish(0);
        await().atMost(WAIT).until(() -> lanes.inFlight() == 0);
        assertThat(lanes.crowded(List.of(P0, P1), 1)).isEmpty();
    }

    @Test
    void aRecordReceivedTwiceIsRefused() {
        Lanes lanes = lanes(10);
        assertThat(lanes.receive(record(P0, 4, "a"))).isTrue();

        assertThat(lanes.receive(record(P0, 4, "a"))).isFalse();
    }

    @SafeVarargs
    private void dispatch(Lanes lanes, ConsumerRecord<byte[], byte[]>... records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(lanes.receive(record)).isTrue();
            lanes.dispatch(record);
        }
    }

    private CountDownLatch latch(long offset) {
        return finish.computeIfAbsent(offset, ignored -> new CountDownLatch(1));
    }

    private void finish(long offset) {
        latch(offset).countDown();
    }

    private static OffsetAndMetadata offset(long offset) {
        return new OffsetAndMetadata(offset, Optional.of(1), "");
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, @Nullable String key) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, 0L, TimestampType.CREATE_TIME, 0, 0,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), new byte[0], new RecordHeaders(), Optional.of(1));
    }
}
