package com.stripesync.kafka.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.testkit.KafkaProbe;
import com.stripesync.testing.kafka.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaTopicAdminTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(KafkaTopicAdminTest.class.getName());

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final SystemName SALESFORCE = new SystemName("salesforce");

    private final KafkaSettings settings = new KafkaSettings(SharedKafka.bootstrapServers(), SharedKafka.freshTopicPrefix(),
            4, (short) 1, "admin-test");
    private final SyncTopics topics = SyncTopics.of(settings);

    @Test
    void createsTheChangesTopicAndOneDeadLetterTopicPerSystemWithTheConfiguredPartitions() throws Exception {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE, SALESFORCE));

        Map<String, TopicDescription> created = describe(Set.of(topics.changes(), topics.deadLetter(STRIPE), topics.deadLetter(SALESFORCE)));
        assertThat(created.values()).allSatisfy(topic -> {
            assertThat(topic.partitions()).hasSize(4);
            assertThat(topic.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(1));
        });
        assertThat(topicConfig(topics.deadLetter(STRIPE)).get(TopicConfig.RETENTION_MS_CONFIG).value())
                .isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
    }

    @Test
    void createsTheInboundTopicAndTheInboundDeadLetterTopicOfEverySystem() throws Exception {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE, SALESFORCE));

        Set<String> inbound = Set.of(topics.inbound(STRIPE), topics.inboundDeadLetter(STRIPE),
                topics.inbound(SALESFORCE), topics.inboundDeadLetter(SALESFORCE));
        Map<String, TopicDescription> created = describe(inbound);
        assertThat(created).containsOnlyKeys(inbound);
        assertThat(created.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(4));
        assertThat(topicConfig(topics.inboundDeadLetter(STRIPE)).get(TopicConfig.RETENTION_MS_CONFIG).value())
                .as("an event nobody could apply waits as long as a refused change")
                .isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
    }

    @Test
    void ensuringTopicsAgainLeavesExistingOnesAndAddsOnlyWhatIsMissing() throws Exception {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));

        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
        KafkaTopicAdmin.ensureTopics(settings.withPartitions(8), List.of(STRIPE, SALESFORCE));

        Map<String, TopicDescription> topicsNow = describe(Set.of(topics.changes(), topics.deadLetter(STRIPE), topics.deadLetter(SALESFORCE)));
        assertThat(topicsNow.get(topics.changes()).partitions()).as("an existing topic keeps its partitions").hasSize(4);
        assertThat(topicsNow.get(topics.deadLetter(STRIPE)).partitions()).hasSize(4);
        assertThat(topicsNow.get(topics.deadLetter(SALESFORCE)).partitions()).as("a new topic gets the configured count").hasSize(8);
    }

    @Test
    void everyPartitionOfANewTopicTakesAWriteAsSoonAsTheTopicsAreEnsured() throws Exception {
        // Several rounds: the gap between a leader in the metadata and an acting leader is a few milliseconds.
        for (int round = 0; round < 5; round++) {
            KafkaSettings fresh = new KafkaSettings(SharedKafka.bootstrapServers(), SharedKafka.freshTopicPrefix(), 4, (short) 1, "admin-test");
            KafkaTopicAdmin.ensureTopics(fresh, List.of(STRIPE));

            String changes = SyncTopics.of(fresh).changes();
            // No retries: a partition whose broker does not act as its leader yet fails the write at once.
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fresh.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                    ProducerConfig.RETRIES_CONFIG, 0),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                List<Future<RecordMetadata>> writes = IntStream.range(0, 4)
                        .mapToObj(partition -> producer.send(new ProducerRecord<>(changes, partition, null, new byte[] {1})))
                        .toList();
                for (Future<RecordMetadata> write : writes) {
                    assertThat(write.get(10, TimeUnit.SECONDS).offset()).as("round %d", round).isZero();
                }
            }
        }
    }

    @Test
    void anUnreachableBrokerFailsInTimeWithAMessageNamingIt() {
        KafkaSettings nowhere = KafkaSettings.of(KafkaProbe.unreachableBootstrap(), "admin-test");
        long started = System.nanoTime();

        assertThatIllegalStateException()
                .isThrownBy(() -> KafkaTopicAdmin.ensureTopics(nowhere, List.of(STRIPE), Duration.ofSeconds(2)))
                .withMessageContaining(nowhere.bootstrapServers())
                .withMessageContaining("reachable");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        FIGURES.info("ensureTopics against an unreachable broker failed after " + took.toMillis() + " ms (bound 2 s)");
        assertThat(took).isLessThan(Duration.ofSeconds(6));
    }

    private static Map<String, TopicDescription> describe(Set<String> names) throws Exception {
        try (Admin admin = KafkaProbe.admin()) {
            return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        }
    }

    private static Config topicConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = KafkaProbe.admin()) {
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        }
    }
}
