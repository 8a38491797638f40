package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.domain.link.SystemName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Revocations and a stuck record played through kafka-clients' {@link MockConsumer}, so that they happen at an
 * exact moment: while a record runs, or after the partition ran far ahead of a record not done.
 */
class KeyedRebalanceTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(KeyedRebalanceTest.class.getName());

    private static final System.Logger LOG = System.getLogger(KeyedRebalanceTest.class.getName());
    private static final String TOPIC = "keyed-records";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Trace trace = new Trace();
    private final RecordingConsumer consumer = new RecordingConsumer();
    private @Nullable RecordWorker<Trace.Item> worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aRevokedPartitionFinishesItsRunningRecordsDropsTheQueuedOnesAndCommitsItsDonePrefix() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowMayEnd = new CountDownLatch(1);
        start(WorkerTiming.STANDARD, item -> {
            if (item.key().equals("a") && item.seq() == 1) {
                slowStarted.countDown();
                awaitQuietly(slowMayEnd);
            }
            return Verdict.DONE;
        });
        append(P0, "a", 1);
        append(P0, "b", 1);
        append(P0, "a", 2);
        append(P1, "c", 1);
        assertThat(slowStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> trace.count() == 2);

        AtomicLong revocationStarted = new AtomicLong();
        AtomicLong revocationEnded = new AtomicLong();
        consumer.schedulePollTask(() -> {
            revocationStarted.set(System.nanoTime());
            consumer.rebalance(List.of(P1));
            revocationEnded.set(System.nanoTime());
        });
        await().atMost(WAIT).until(() -> revocationStarted.get() > 0);
        assertThat(consumer.accepted).as("nothing committed for P0 while a@0 runs").doesNotContainKey(P0);
        long released = System.nanoTime();
        slowMayEnd.countDown();

        await().atMost(WAIT).until(() -> revocationEnded.get() > 0);
        assertThat(revocationEnded.get()).as("the revocation waited for a@0").isGreaterThan(released);
        assertThat(consumer.accepted.get(P0)).as("a@0 and b@1 done; a@2 dropped").extracting(OffsetAndMetadata::offset).isEqualTo(2L);
        assertThat(trace.calls().stream().map(Trace.Call::item)).as("a's second record never started")
                .noneMatch(item -> item.key().equals("a") && item.seq() == 2);
        assertThat(consumer.assignment()).containsExactly(P1);
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void aRecordStillRunningAfterTheRevocationGraceIsInterruptedAndTheCommitStopsBeforeIt() throws Exception {
        CountDownLatch stuckStarted = new CountDownLatch(1);
        Duration grace = Duration.ofMillis(300);
        start(WorkerTiming.STANDARD.withRevocationGrace(grace), item -> {
            if (item.key().equals("stuck")) {
                stuckStarted.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Verdict.Defer(Duration.ofSeconds(1), "interrupted");
                }
            }
            return Verdict.DONE;
        });
        append(P0, "x", 1);
        append(P0, "stuck", 1);
        append(P0, "y", 1);
        assertThat(stuckStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> trace.count() == 2);

        long revoking = System.nanoTime();
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));

        await().atMost(WAIT).until(() -> consumer.accepted.containsKey(P0));
        assertThat(Duration.ofNanos(System.nanoTime() - revoking)).isGreaterThanOrEqualTo(grace);
        assertThat(consumer.accepted.get(P0).offset()).as("x@0 done, stuck@1 not").isEqualTo(1L);
        await().atMost(WAIT).until(() -> trace.count() == 3);
        assertThat(trace.calls()).as("the stuck call ended by the interrupt").anyMatch(call -> call.item().key().equals("stuck"));
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void aPartitionFarAheadOfARecordNotDoneStopsFetchingUntilThatRecordIsDone() throws Exception {
        CountDownLatch stuckMayEnd = new CountDownLatch(1);
        start(WorkerTiming.STANDARD, item -> {
            if (item.key().equals("stuck")) {
                awaitQuietly(stuckMayEnd);
            }
            return Verdict.DONE;
        });
        // The real consumer gets max.poll.records from the worker; the mock ignores that config and would hand over
        // every record it holds in one poll, including batches appended while P0 was paused for a full window.
        int maxPollRecords = RecordWorker.maxPollRecords(WorkerConcurrency.DEFAULT);
        consumer.setMaxPollRecords(maxPollRecords);
        append(P0, "stuck", 1);
        int batches = 15;
        int perBatch = 100;
        AtomicInteger batchesAppended = new AtomicInteger();
        for (int batch = 0; batch < batches; batch++) {
            consumer.schedulePollTask(() -> {
                for (int i = 0; i < perBatch; i++) {
                    append(P0, "key-" + (i % 50), batchesAppended.get() * perBatch + i + 1);
                }
                batchesAppended.incrementAndGet();
            });
        }

        await().atMost(WAIT).until(() -> batchesAppended.get() == batches && consumer.paused().contains(P0));
        int total = 1 + batches * perBatch;
        // The pause is decided before each poll: the partition gets at most one poll's worth past the limit.
        long mostFetched = RecordWorker.MAX_AHEAD - 1 + maxPollRecords;
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> consumer.fetched(P0) <= mostFetched
                && trace.count() < mostFetched && consumer.paused().contains(P0));
        assertThat(consumer.fetched(P0)).as("P0 stopped fetching before the end of the partition").isLessThan(total);
        FIGURES.info("A partition ahead of a stuck record paused after " + consumer.fetched(P0) + " records fetched, "
                + trace.count() + " done");
        assertThat(consumer.accepted).as("nothing committed past the stuck record").doesNotContainKey(P0);
        stuckMayEnd.countDown();

        await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.accepted.get(P0)).isNotNull()
                .extracting(OffsetAndMetadata::offset).isEqualTo((long) total));
        assertThat(trace.count()).as("every record handled once").isEqualTo(total);
        assertThat(consumer.fetched(P0)).isEqualTo(total);
        assertThat(consumer.paused()).isEmpty();
    }

    private void start(WorkerTiming timing, Function<Trace.Item, Verdict> script) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        RecordWorker.Setup setup = new RecordWorker.Setup("Keyed mock worker", "keyed-mock", new SystemName("stripe"), TOPIC,
                "keyed-group", "keyed-instance", "keyed-dead-letters", "keyed-worker", "keyed-dead-letters", LOG);
        worker = RecordWorker.start(setup, trace.handler("worker", script), timing, WorkerConcurrency.DEFAULT, consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
        await().atMost(WAIT).until(() -> consumer.assignment().size() == 2);
    }

    private void append(TopicPartition partition, String key, int seq) {
        consumer.append(partition, key.getBytes(StandardCharsets.UTF_8), Trace.value(key, seq));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Numbers the records of each partition, keeps the commits it took (the mock forgets those of partitions it
     * no longer has), counts the records its polls returned, and takes a moment over polls without records, as a real consumer does.
     */
    private static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {

        final Map<TopicPartition, OffsetAndMetadata> accepted = new ConcurrentHashMap<>();
        private final Map<TopicPartition, AtomicLong> nextOffsets = new ConcurrentHashMap<>();
        private final Map<TopicPartition, AtomicLong> fetched = new ConcurrentHashMap<>();

        RecordingConsumer() {
            super("earliest");
        }

        void append(TopicPartition partition, byte[] key, byte[] value) {
            long offset = nextOffsets.computeIfAbsent(partition, ignored -> new AtomicLong()).getAndIncrement();
            addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value));
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            super.commitSync(offsets, timeout);
            accepted.putAll(offsets);
        }

        /** How many records of the partition polls returned. */
        long fetched(TopicPartition partition) {
            AtomicLong count = fetched.get(partition);
            return count == null ? 0 : count.get();
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            for (TopicPartition partition : records.partitions()) {
                fetched.computeIfAbsent(partition, ignored -> new AtomicLong()).addAndGet(records.records(partition).size());
            }
            if (records.isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }
}
