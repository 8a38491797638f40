package com.stripesync.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SharedKafkaTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(SharedKafkaTest.class.getName());

    @Test
    void everyCallNamesTheSameRunningBroker() throws Exception {
        String first = SharedKafka.bootstrapServers();

        assertThat(SharedKafka.bootstrapServers()).isEqualTo(first);
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().nodes().get()).isNotEmpty();
        }
        FIGURES.info("Tests ran against " + SharedKafka.description());
    }

    @Test
    void freshPrefixesDoNotRepeatAndMakeLegalTopicNames() {
        Set<String> prefixes = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> prefixes.add(SharedKafka.freshTopicPrefix()));

        assertThat(prefixes).hasSize(10_000).allMatch(prefix -> prefix.matches("[a-z0-9-]+") && prefix.length() < 40);
    }

    @Test
    void createdTopicsHaveTheirPartitionsAndCarryRecords() throws Exception {
        String prefix = SharedKafka.freshTopicPrefix();

        SharedKafka.createTopics(3, prefix + "changes", prefix + "dead-letters");

        try (Admin admin = admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(prefix + "changes", prefix + "dead-letters")).allTopicNames().get();
            assertThat(topics.values()).extracting(topic -> topic.partitions().size()).containsExactly(3, 3);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(prefix + "changes", "cus_1", "updated")).get();
        }
        assertThat(consumeOne(prefix + "changes", prefix + "reader")).isEqualTo("updated");
    }

    @Test
    void creatingATopicTwiceIsRefused() {
        String topic = SharedKafka.freshTopicPrefix() + "once";
        SharedKafka.createTopics(1, topic);

        assertThatIllegalStateException().isThrownBy(() -> SharedKafka.createTopics(1, topic)).withMessageContaining(topic);
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()));
    }

    private static String consumeOne(String topic, String group) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
                return !values.isEmpty();
            });
            return values.getFirst();
        }
    }
}
