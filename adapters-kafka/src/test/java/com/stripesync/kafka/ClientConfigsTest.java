package com.stripesync.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The producer settings the outbox relay (and the dead-letter writers) publish with. */
class ClientConfigsTest {

    private final KafkaSettings settings = KafkaSettings.of("127.0.0.1:9092", "pod-7");

    @Test
    void reliableProducerWaitsForAllInSyncReplicasAndIsIdempotent() {
        Map<String, Object> config = ClientConfigs.reliableProducer(settings, "publisher");

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "pod-7-publisher");
        assertThat((int) config.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION))
                .as("idempotence keeps order only up to 5 requests in flight").isBetween(1, 5);
    }

    @Test
    void reliableProducerSettingsAreOnesKafkaAcceptsAndBoundInSeconds() {
        Map<String, Object> config = ClientConfigs.reliableProducer(settings, "publisher");

        // Parsing applies kafka-clients' own checks (an explicit idempotence with acks other than all fails here).
        ProducerConfig parsed = new ProducerConfig(config);

        assertThat(parsed.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(parsed.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        long linger = millis(parsed, ProducerConfig.LINGER_MS_CONFIG);
        long request = millis(parsed, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        long delivery = millis(parsed, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        assertThat(delivery).as("delivery.timeout.ms >= linger.ms + request.timeout.ms").isGreaterThanOrEqualTo(linger + request);
        assertThat(delivery).isEqualTo(ClientConfigs.DELIVERY_TIMEOUT.toMillis());
        assertThat(millis(parsed, ProducerConfig.MAX_BLOCK_MS_CONFIG)).isEqualTo(ClientConfigs.MAX_BLOCK.toMillis());
    }

    /** Kafka types some durations as int, others as long. */
    private static long millis(ProducerConfig config, String name) {
        return ((Number) config.values().get(name)).longValue();
    }
}
