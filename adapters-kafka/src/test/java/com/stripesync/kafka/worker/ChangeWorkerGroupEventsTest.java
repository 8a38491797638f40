package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.change.ChangeJson;
import com.stripesync.kafka.testkit.Changes;
import com.stripesync.kafka.testkit.RecordingSync;
import com.stripesync.kafka.topic.SyncTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

/**
 * Group events a real broker produces only by chance, played through kafka-clients' {@link MockConsumer}:
 * commits refused while a rebalance is in progress, and fencing by another process with our instance id.
 */
class ChangeWorkerGroupEventsTest {

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final KafkaSettings SETTINGS = KafkaSettings.of("localhost:9092", "group-events-test");
    private static final String TOPIC = SyncTopics.of(SETTINGS).changes();
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FlakyCommits consumer = new FlakyCommits();
    private final RecordingSync sync = RecordingSync.applyingEverything();
    private final Changes changes = new Changes();
    private ChangeWorker worker;

    @BeforeEach
    void startWithTwoPartitions() {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        worker = ChangeWorker.start(SETTINGS, STRIPE, sync, WorkerTiming.STANDARD, WorkerConcurrency.DEFAULT, consumer,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
        await().atMost(WAIT).until(() -> consumer.assignment().size() == 2);
    }

    @AfterEach
    void close() {
        worker.close();
    }

    @Test
    void changesDoneWhileCommitsAreRefusedAreCommittedWhenTheirPartitionIsRevoked() {
        consumer.refuseCommits = true;
        addChanges(P0, 3);
        await().atMost(WAIT).until(() -> sync.count() == 3);
        assertThat(committed(P0)).as("committed while the group rebalances").isNull();

        // The rebalance reaches this member: commits go through again, and P0 moves to another member.
        consumer.schedulePollTask(() -> {
            consumer.refuseCommits = false;
            consumer.rebalance(List.of(P1));
        });

        await().atMost(WAIT).untilAsserted(() -> assertThat(committed(P0)).isNotNull()
                .extracting(OffsetAndMetadata::offset).isEqualTo(3L));
        assertThat(consumer.assignment()).containsExactly(P1);
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void aWorkerFencedByAnotherProcessWithItsInstanceIdStopsWithoutCommitting() {
        consumer.refuseCommits = true;
        addChanges(P0, 2);
        await().atMost(WAIT).until(() -> sync.count() == 2);

        consumer.setPollException(new FencedInstanceIdException("another member joined with group.instance.id group-events-test-stripe"));

        await().atMost(WAIT).until(() -> !worker.isRunning());
        assertThat(consumer.commitsAfterFencing).as("commits tried after being fenced (the broker refuses them)").hasValue(0);
        assertThat(consumer.closed()).isTrue();
    }

    private void addChanges(TopicPartition partition, int count) {
        CustomerId customer = CustomerId.generate();
        for (int version = 1; version <= count; version++) {
            CustomerChange change = changes.next(customer, version);
            consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), version - 1,
                    customer.toString().getBytes(StandardCharsets.UTF_8), ChangeJson.encode(change)));
        }
    }

    private @Nullable OffsetAndMetadata committed(TopicPartition partition) {
        return consumer.accepted.get(partition);
    }

    /** Refuses commits as a coordinator does during a rebalance; polls without records take a moment, as real ones do. */
    private static final class FlakyCommits extends MockConsumer<byte[], byte[]> {

        volatile boolean refuseCommits;
        /** What the mock took, readable after a revocation or close (the mock's own view is of assigned partitions only). */
        final Map<TopicPartition, OffsetAndMetadata> accepted = new ConcurrentHashMap<>();

        FlakyCommits() {
            super("earliest");
        }

        final AtomicInteger commitsAfterFencing = new AtomicInteger();
        private volatile boolean fenced;

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            if (fenced) {
                commitsAfterFencing.incrementAndGet();
            }
            if (refuseCommits) {
                throw new RebalanceInProgressException("the group is rebalancing (simulated)");
            }
            super.commitSync(offsets, timeout);
            accepted.putAll(offsets);
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = super.poll(timeout);
            } catch (FencedInstanceIdException e) {
                fenced = true;
                throw e;
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
