package com.stripesync.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaSettingsTest {

    @Test
    void defaultsArePrefixStripeSyncSixPartitionsAndOneReplica() {
        KafkaSettings settings = KafkaSettings.of(" kafka-1:9092,kafka-2:9092 ", "pod-7");

        assertThat(settings).isEqualTo(new KafkaSettings("kafka-1:9092,kafka-2:9092", "stripe-sync.", 6, (short) 1, "pod-7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "kafka", "kafka:", "kafka:9092,", "kafka:9092, ,other:9092", "kafka 1:9092"})
    void refusesBootstrapServersThatAreNotHostPortPairs(String servers) {
        assertThatIllegalArgumentException().isThrownBy(() -> KafkaSettings.of(servers, "pod-7"))
                .withMessageContaining("host:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stripe sync.", "stripe/sync.", "ü."})
    void refusesATopicPrefixKafkaCannotUseInANameOfATopic(String prefix) {
        assertThatIllegalArgumentException().isThrownBy(() -> KafkaSettings.of("kafka:9092", "pod-7").withTopicPrefix(prefix))
                .withMessageContaining("prefix");
    }

    @Test
    void acceptsAnEmptyPrefixAndRefusesOneTooLongForTheLongestDerivedName() {
        assertThat(KafkaSettings.of("kafka:9092", "pod-7").withTopicPrefix("").topicPrefix()).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> KafkaSettings.of("kafka:9092", "pod-7")
                .withTopicPrefix("p".repeat(KafkaSettings.MAX_PREFIX_LENGTH + 1)));
    }

    @Test
    void refusesNoPartitionsNoReplicasAndInstanceIdsThatAreNotPlainNames() {
        KafkaSettings valid = KafkaSettings.of("kafka:9092", "pod-7");

        assertThatIllegalArgumentException().isThrownBy(() -> valid.withPartitions(0));
        assertThatIllegalArgumentException().isThrownBy(() -> new KafkaSettings("kafka:9092", "p.", 1, (short) 0, "pod-7"));
        assertThatIllegalArgumentException().isThrownBy(() -> valid.withInstanceId(""));
        assertThatIllegalArgumentException().isThrownBy(() -> valid.withInstanceId("pod 7"));
        assertThat(valid.withInstanceId("host-1.example.com_a").instanceId()).isEqualTo("host-1.example.com_a");
    }
}
