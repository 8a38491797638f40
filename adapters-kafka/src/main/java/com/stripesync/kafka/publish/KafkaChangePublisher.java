package com.stripesync.kafka.publish;

import com.stripesync.domain.change.ChangePublishFailed;
import com.stripesync.domain.change.ChangePublisher;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.kafka.ClientConfigs;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.change.ChangeJson;
import com.stripesync.kafka.topic.SyncTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes changes to the changes topic ({@link SyncTopics#changes()}), keyed by customer id, so all
 * changes of one customer land in one partition and every worker reads them in the order they were
 * recorded. The value is {@link ChangeJson}.
 *
 * <p>The producer is idempotent and waits for all in-sync replicas ({@link ClientConfigs#reliableProducer}).
 * {@link #publish} returns only when every change is acknowledged, and fails within
 * {@link ClientConfigs#MAX_BLOCK} + {@link ClientConfigs#DELIVERY_TIMEOUT} + {@link #ACK_GRACE} (27 s) when
 * Kafka does not acknowledge them all. Thread-safe: several relays may share one publisher.
 */
public final class KafkaChangePublisher implements ChangePublisher, AutoCloseable {

    /** Beyond the producer's own delivery timeout, so its verdict normally arrives before ours. */
    static final Duration ACK_GRACE = Duration.ofSeconds(2);
    static final long CLOSE_SECONDS = 5;
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(CLOSE_SECONDS);

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    private KafkaChangePublisher(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Connects lazily: creating a publisher succeeds even while Kafka is down; publishing then fails in time. */
    public static KafkaChangePublisher create(KafkaSettings settings) {
        return new KafkaChangePublisher(new KafkaProducer<>(ClientConfigs.reliableProducer(settings, "publisher")),
                SyncTopics.of(settings).changes());
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends all changes, then waits for every acknowledgement.
     *
     * @throws ChangePublishFailed when any change was not acknowledged in time; some may have been written
     *                             anyway, none may be assumed published (publishing them again is harmless:
     *                             workers treat a change they already handled as done)
     */
    @Override
    public void publish(List<CustomerChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(changes.size());
        for (CustomerChange change : changes) {
            Future<RecordMetadata> acknowledgement;
            try {
                acknowledgement = producer.send(new ProducerRecord<>(topic, key(change), ChangeJson.encode(change)));
            } catch (KafkaException | IllegalStateException e) {
                throw new ChangePublishFailed("Kafka did not take change " + change.id() + " for " + topic + ": " + e.getMessage(), e);
            }
            if (acknowledgement.isDone()) {
                // A send that failed at once (no metadata within max.block.ms): the next ones would wait as long again.
                await(change, acknowledgement, 0);
            }
            acknowledgements.add(acknowledgement);
        }
        long deadline = System.nanoTime() + ClientConfigs.DELIVERY_TIMEOUT.plus(ACK_GRACE).toNanos();
        for (int i = 0; i < changes.size(); i++) {
            await(changes.get(i), acknowledgements.get(i), Math.max(0, deadline - System.nanoTime()));
        }
    }

    private void await(CustomerChange change, Future<RecordMetadata> acknowledgement, long nanos) {
        try {
            acknowledgement.get(nanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new ChangePublishFailed("Kafka did not acknowledge change " + change.id() + " on " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ChangePublishFailed("Kafka did not acknowledge change " + change.id() + " on " + topic + " within "
                    + ClientConfigs.DELIVERY_TIMEOUT.plus(ACK_GRACE).toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChangePublishFailed("interrupted while waiting for Kafka to acknowledge change " + change.id(), e);
        }
    }

    static byte[] key(CustomerChange change) {
        return change.customerId().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Waits up to {@value #CLOSE_SECONDS} s for records still in flight, then drops them. */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
