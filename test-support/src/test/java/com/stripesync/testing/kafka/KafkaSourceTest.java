package com.stripesync.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSourceTest {

    private static final Map<String, String> NOTHING = Map.of();

    @Test
    void embeddedBrokerWhenNothingIsConfigured() {
        assertThat(choose(NOTHING, NOTHING)).isEqualTo(new KafkaSource.Embedded());
    }

    @Test
    void externalBrokerFromTheSystemPropertyOrTheEnvironment() {
        assertThat(choose(Map.of("test.kafka.bootstrap", "kafka.test:9092"), NOTHING))
                .isEqualTo(new KafkaSource.External("kafka.test:9092"));
        assertThat(choose(NOTHING, Map.of("TEST_KAFKA_BOOTSTRAP", "kafka.env:9092")))
                .isEqualTo(new KafkaSource.External("kafka.env:9092"));
    }

    @Test
    void systemPropertyWinsOverTheEnvironmentAndBlankValuesAreIgnored() {
        assertThat(choose(Map.of("test.kafka.bootstrap", "kafka.test:9092"), Map.of("TEST_KAFKA_BOOTSTRAP", "kafka.env:9092")))
                .isEqualTo(new KafkaSource.External("kafka.test:9092"));
        assertThat(choose(Map.of("test.kafka.bootstrap", " "), Map.of("TEST_KAFKA_BOOTSTRAP", "kafka.env:9092")))
                .isEqualTo(new KafkaSource.External("kafka.env:9092"));
    }

    @Test
    void containersOnlyWhenAskedFor() {
        assertThat(choose(Map.of("test.infra", "containers"), NOTHING))
                .isEqualTo(new KafkaSource.Containers("apache/kafka:4.4.0"));
        assertThat(choose(Map.of("test.infra", "containers", "test.kafka.image", "apache/kafka-native:4.4.0"), NOTHING))
                .isEqualTo(new KafkaSource.Containers("apache/kafka-native:4.4.0"));
    }

    @Test
    void configuredExternalBrokerWinsOverContainers() {
        assertThat(choose(Map.of("test.infra", "containers", "test.kafka.bootstrap", "kafka.test:9092"), NOTHING))
                .isEqualTo(new KafkaSource.External("kafka.test:9092"));
    }

    private static KafkaSource choose(Map<String, String> systemProperties, Map<String, String> environment) {
        return KafkaSource.choose(systemProperties::get, environment::get);
    }
}
