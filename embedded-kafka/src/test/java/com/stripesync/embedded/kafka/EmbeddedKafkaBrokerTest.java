package com.stripesync.embedded.kafka;

import static com.stripesync.embedded.kafka.TestClients.admin;
import static com.stripesync.embedded.kafka.TestClients.consumer;
import static com.stripesync.embedded.kafka.TestClients.createTopic;
import static com.stripesync.embedded.kafka.TestClients.pollAndCommit;
import static com.stripesync.embedded.kafka.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDirectory;

    @Test
    void producedRecordIsConsumed() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(dataDirectory))) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            createTopic(broker.bootstrapServers(), "customers", 1);

            send(broker.bootstrapServers(), "customers", List.of("cus_1 registered"));

            try (KafkaConsumer<String, String> consumer = consumer(broker.bootstrapServers(), "readers", Optional.empty())) {
                consumer.subscribe(List.of("customers"));
                assertThat(pollAndCommit(consumer, 1, WAIT)).containsExactly("cus_1 registered");
            }
        }
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsAndCommittedOffsetsWithoutReformatting() throws Exception {
        EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.forTests(dataDirectory);
        String clusterIdBefore;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings)) {
            createTopic(broker.bootstrapServers(), "changes", 2);
            send(broker.bootstrapServers(), "changes", List.of("a", "b", "c", "d"));
            try (KafkaConsumer<String, String> consumer = consumer(broker.bootstrapServers(), "workers", Optional.empty())) {
                consumer.subscribe(List.of("changes"));
                assertThat(pollAndCommit(consumer, 4, WAIT)).containsExactlyInAnyOrder("a", "b", "c", "d");
            }
            clusterIdBefore = clusterId(broker);
        }
        String metaPropertiesBefore = Files.readString(dataDirectory.resolve("logs/meta.properties"));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings)) {
            assertThat(clusterId(broker)).isEqualTo(clusterIdBefore);
            assertThat(Files.readString(dataDirectory.resolve("logs/meta.properties"))).isEqualTo(metaPropertiesBefore);
            try (Admin admin = admin(broker.bootstrapServers())) {
                assertThat(admin.describeTopics(Set.of("changes")).allTopicNames().get().get("changes").partitions()).hasSize(2);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("workers").partitionsToOffsetAndMetadata().get();
                assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(4);
            }

            send(broker.bootstrapServers(), "changes", List.of("e"));
            try (KafkaConsumer<String, String> consumer = consumer(broker.bootstrapServers(), "workers", Optional.empty())) {
                consumer.subscribe(List.of("changes"));
                assertThat(pollAndCommit(consumer, 1, WAIT)).containsExactly("e");
            }
        }
    }

    @Test
    void secondBrokerOnADirectoryInUseIsRefusedAndTheFirstKeepsRunning() throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(dataDirectory))) {

            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(dataDirectory)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another embedded Kafka");

            assertThat(clusterId(first)).isNotBlank();
        }
    }

    @Test
    void closedBrokerReleasesItsDirectoryAndClosingAgainIsHarmless() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(dataDirectory));
        broker.close();
        broker.close();

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(dataDirectory))) {
            assertThat(again.dataDirectory()).isEqualTo(dataDirectory.toAbsolutePath().normalize());
        }
    }

    private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = admin(broker.bootstrapServers())) {
            return admin.describeCluster().clusterId().get();
        }
    }
}
