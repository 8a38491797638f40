package com.stripesync.kafka.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;

/** One worker's dead-letter topic, written through an idempotent {@code acks=all} producer. */
final class DeadLetters implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration acknowledgementTimeout;

    DeadLetters(Producer<byte[], byte[]> producer, String topic, Duration acknowledgementTimeout) {
        this.producer = producer;
        this.topic = topic;
        this.acknowledgementTimeout = acknowledgementTimeout;
    }

    String topic() {
        return topic;
    }

    /**
     * Produces {@code original}'s key and value unchanged with {@code headers}, and returns once Kafka has
     * acknowledged it.
     *
     * @throws DeadLetterNotWritten when it was not acknowledged in time
     */
    void send(ConsumerRecord<byte[], byte[]> original, List<Header> headers) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
        try {
            producer.send(letter).get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DeadLetterNotWritten(topic, e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw new DeadLetterNotWritten(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterNotWritten(topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    static final class DeadLetterNotWritten extends RuntimeException {

        DeadLetterNotWritten(String topic, Throwable cause) {
            super("Kafka did not acknowledge a record for " + topic + ": " + cause, cause);
        }
    }
}
