package com.stripesync.kafka.inbound;

import com.stripesync.domain.inbound.EventHandOffFailed;
import com.stripesync.domain.inbound.InboundEventQueue;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.ClientConfigs;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.topic.SyncTopics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Queues verified webhook events in their system's inbound topic ({@link SyncTopics#inbound}), in the
 * format of {@link InboundRecords}, for the inbound worker to apply.
 *
 * <p>{@link #enqueue} runs on the webhook request: it returns only once every in-sync replica has the record
 * ({@code acks=all}, idempotent retries), and otherwise throws {@link EventHandOffFailed} within
 * {@link #HAND_OFF_TIMEOUT} (5 s), so the endpoint can answer 503 and the sender retries. Every wait of the
 * producer is bounded to fit: {@code max.block.ms} (metadata, buffer) {@value #MAX_BLOCK_MS} ms, then
 * {@code delivery.timeout.ms} (the acknowledgement, retries included) {@value #DELIVERY_TIMEOUT_MS} ms, and
 * our own wait for the acknowledgement ends {@value #WAIT_LIMIT_MS} ms after the call began, whatever the
 * producer does. After a failure the record may still have been written: the sender's retry then queues the
 * event twice, and the catalog's ledger applies it once.
 *
 * <p>One producer, created once, serves every request and every system (it is thread-safe); it connects
 * lazily, so creating the queue succeeds while Kafka is down.
 */
public final class KafkaInboundEventQueue implements InboundEventQueue, AutoCloseable {

    /** The longest {@link #enqueue} takes, success or failure. */
    public static final Duration HAND_OFF_TIMEOUT = Duration.ofSeconds(5);
    /** Only the first send to a topic waits for metadata; a full buffer is the other (rare) case. */
    static final int MAX_BLOCK_MS = 1_000;
    /** One produce request; a slow answer is retried within the delivery timeout. */
    static final int REQUEST_TIMEOUT_MS = 2_000;
    /**
     * At least linger.ms + request.timeout.ms, or the producer refuses to start; the rest of the hand-off budget,
     * so a broker that stalls for a few seconds (a log roll, a busy disk) still acknowledges in time.
     */
    static final int DELIVERY_TIMEOUT_MS = 3_700;
    /** Past the producer's own verdict (max.block.ms + delivery.timeout.ms), short of the hand-off timeout. */
    static final int WAIT_LIMIT_MS = 4_750;
    /**
     * Each webhook request waits for its own acknowledgement, and at low traffic no other record comes along
     * to share a batch, so a linger is pure latency. Measured on the local test broker at concurrency 1, 200
     * enqueues each, three runs: median 0.4-0.7 ms (p90 1.3-2.2 ms) with 0 against 5.6-6.0 ms (p90 6.1-7.4 ms) with the
     * client's default of 5 ms ({@code KafkaInboundEventQueueTest}). Under load records still share requests
     * without it: those sent while a request is in flight go out together in the next one.
     */
    static final Duration LINGER = Duration.ZERO;
    /**
     * One produce request in flight at a time: at low traffic each record goes out at once (no linger), and
     * under load the records sent while a request is in flight go out together in the next one. So the batches
     * grow with the load by themselves, and the broker handles one request for many webhooks instead of one each
     * (with 5 in flight, the client's default, 32 concurrent senders still made about one request per record).
     */
    static final int MAX_IN_FLIGHT = 1;
    static final long CLOSE_SECONDS = 5;

    private final Producer<byte[], byte[]> producer;
    private final SyncTopics topics;

    KafkaInboundEventQueue(Producer<byte[], byte[]> producer, SyncTopics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    public static KafkaInboundEventQueue create(KafkaSettings settings) {
        return create(settings, LINGER);
    }

    static KafkaInboundEventQueue create(KafkaSettings settings, Duration linger) {
        return new KafkaInboundEventQueue(new KafkaProducer<>(producerConfig(settings, linger)), SyncTopics.of(settings));
    }

    static Map<String, Object> producerConfig(KafkaSettings settings, Duration linger) {
        Map<String, Object> config = ClientConfigs.reliableProducer(settings, "inbound-queue");
        // Stated here again: what enqueue() promises rests on them.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT);
        return config;
    }

    /**
     * Writes the event to {@code system}'s inbound topic and waits for the acknowledgement.
     *
     * @throws EventHandOffFailed when Kafka did not acknowledge it within {@link #HAND_OFF_TIMEOUT}
     */
    @Override
    public void enqueue(SystemName system, VerifiedEvent event) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_LIMIT_MS);
        String topic = topics.inbound(system);
        Future<RecordMetadata> acknowledgement;
        try {
            acknowledgement = producer.send(InboundRecords.of(topic, event));
        } catch (KafkaException | IllegalStateException e) {
            throw new EventHandOffFailed("Kafka did not take event " + event.id() + " for " + topic + ": " + e.getMessage(), e);
        }
        try {
            acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new EventHandOffFailed("Kafka did not acknowledge event " + event.id() + " on " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new EventHandOffFailed("Kafka did not acknowledge event " + event.id() + " on " + topic + " within "
                    + WAIT_LIMIT_MS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventHandOffFailed("interrupted while waiting for Kafka to acknowledge event " + event.id(), e);
        }
    }

    /** How many records one produce request carried on average so far (the producer's own metric). */
    double recordsPerRequest() {
        return producer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals("records-per-request-avg")
                        && metric.getKey().group().equals("producer-metrics"))
                .map(metric -> metric.getValue().metricValue())
                .filter(Double.class::isInstance)
                .map(Double.class::cast)
                .findFirst()
                .orElse(Double.NaN);
    }

    /** Waits up to {@value #CLOSE_SECONDS} s for records still in flight, then drops them. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(CLOSE_SECONDS));
    }
}
