package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.application.inbound.InboundOutcome;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.inbound.InboundRecords;
import com.stripesync.kafka.testkit.Events;
import com.stripesync.kafka.testkit.RecordingHandler;
import com.stripesync.kafka.topic.SyncTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Handler answers no well-behaved handler gives, played through kafka-clients' mocks. */
class InboundWorkerOutcomesTest {

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final KafkaSettings SETTINGS = KafkaSettings.of("localhost:9092", "outcomes-test");
    private static final TopicPartition P0 = new TopicPartition(SyncTopics.of(SETTINGS).inbound(STRIPE), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Events events = new Events();
    private final IdleConsumer consumer = new IdleConsumer();
    private InboundWorker worker;

    @AfterEach
    void close() {
        worker.close();
    }

    @Test
    void noOutcomeOrADeferralWithoutDelayIsRetriedWithBackoffAndTheWorkerKeepsRunning() {
        AtomicInteger calls = new AtomicInteger();
        RecordingHandler handler = new RecordingHandler(call -> switch (calls.incrementAndGet()) {
            case 1 -> null;
            case 2 -> new InboundOutcome.Deferred(null, null);
            default -> new InboundOutcome.Applied("updated");
        });
        String customer = Events.customer();
        List<ProducerRecord<byte[], byte[]>> queued = List.of(InboundRecords.of(P0.topic(), events.about(customer)),
                InboundRecords.of(P0.topic(), events.about(customer)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            for (int offset = 0; offset < queued.size(); offset++) {
                ProducerRecord<byte[], byte[]> record = queued.get(offset);
                consumer.append(new ConsumerRecord<>(P0.topic(), 0, offset, record.key(), record.value()));
            }
        });

        worker = InboundWorker.start(SETTINGS, STRIPE, handler, WorkerTiming.STANDARD.withFailureBackoff(Duration.ofMillis(10)),
                WorkerConcurrency.DEFAULT, consumer, new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.committed(Set.of(P0)).get(P0))
                .isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(2L));
        assertThat(handler.eventIds()).containsExactly("evt_1", "evt_1", "evt_1", "evt_2");
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void deferralsNeverCountTowardsTheFailureLimitAndBreakARunOfThrows() {
        int limit = RecordWorker.MAX_CONSECUTIVE_FAILURES;
        AtomicInteger calls = new AtomicInteger();
        // Throws one short of the limit, a deferral, as many throws again, then more deferrals than the limit.
        RecordingHandler handler = new RecordingHandler(call -> {
            int n = calls.incrementAndGet();
            if (n < limit || n > limit && n < 2 * limit) {
                throw new IllegalStateException("failure " + n);
            }
            return n < 3 * limit + 5 ? new InboundOutcome.Deferred(Duration.ZERO, "the catalog is unavailable")
                    : new InboundOutcome.Applied("updated");
        });
        MockProducer<byte[], byte[]> deadLetters = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        assignWithOneRecord(InboundRecords.of(P0.topic(), events.about(Events.customer())));
        WorkerTiming quickBackoff = new WorkerTiming(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5));

        worker = InboundWorker.start(SETTINGS, STRIPE, handler, quickBackoff, WorkerConcurrency.DEFAULT, consumer, deadLetters);

        await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.committed(Set.of(P0)).get(P0))
                .isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(1L));
        assertThat(handler.count()).isEqualTo(3 * limit + 5);
        assertThat(deadLetters.history()).isEmpty();
        assertThat(worker.isRunning()).isTrue();
    }

    private void assignWithOneRecord(ProducerRecord<byte[], byte[]> record) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.append(new ConsumerRecord<>(P0.topic(), 0, 0, record.key(), record.value()));
        });
    }

    /**
     * Keeps its records as a log does, so a worker that seeks back to retry one gets it again (the plain mock
     * hands a record out once); polls without records take a moment, as real ones do, instead of spinning.
     */
    private static final class IdleConsumer extends MockConsumer<byte[], byte[]> {

        private final List<ConsumerRecord<byte[], byte[]>> log = new CopyOnWriteArrayList<>();

        IdleConsumer() {
            super("earliest");
        }

        void append(ConsumerRecord<byte[], byte[]> record) {
            log.add(record);
            addRecord(record);
        }

        @Override
        public synchronized void seek(TopicPartition partition, OffsetAndMetadata offset) {
            super.seek(partition, offset);
            log.stream().filter(record -> record.partition() == partition.partition() && record.offset() >= offset.offset())
                    .forEach(this::addRecord);
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
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
