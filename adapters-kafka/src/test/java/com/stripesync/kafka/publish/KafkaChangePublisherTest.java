package com.stripesync.kafka.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.change.ChangePublishFailed;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.kafka.ClientConfigs;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.change.ChangeJson;
import com.stripesync.kafka.testkit.Changes;
import com.stripesync.kafka.testkit.KafkaProbe;
import com.stripesync.kafka.topic.KafkaTopicAdmin;
import com.stripesync.testing.kafka.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KafkaChangePublisherTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(KafkaChangePublisherTest.class.getName());

    private final KafkaSettings settings = new KafkaSettings(SharedKafka.bootstrapServers(), SharedKafka.freshTopicPrefix(),
            6, (short) 1, "publisher-test");
    private final Changes changes = new Changes();

    @Test
    void changesOfOneCustomerLandInOnePartitionInTheOrderPublished() {
        KafkaTopicAdmin.ensureTopics(settings, List.of());
        List<CustomerId> customers = IntStream.range(0, 20).mapToObj(i -> CustomerId.generate()).toList();
        List<CustomerChange> published = new ArrayList<>();
        for (int version = 1; version <= 5; version++) {
            for (CustomerId customer : customers) {
                published.add(changes.next(customer, version));
            }
        }

        try (KafkaChangePublisher publisher = KafkaChangePublisher.create(settings)) {
            publisher.publish(published.subList(0, 50));
            publisher.publish(published.subList(50, 100));
        }

        List<ConsumerRecord<byte[], byte[]>> records = KafkaProbe.readAll(settings.topicPrefix() + "customer-changes");
        assertThat(records).hasSize(100);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = records.stream()
                .collect(Collectors.groupingBy(record -> new String(record.key(), StandardCharsets.UTF_8)));
        assertThat(byKey).hasSize(20);
        for (CustomerId customer : customers) {
            List<ConsumerRecord<byte[], byte[]>> ofCustomer = byKey.get(customer.toString());
            assertThat(ofCustomer).extracting(ConsumerRecord::partition).as("partitions of %s", customer).containsOnly(ofCustomer.getFirst().partition());
            assertThat(ofCustomer).extracting(record -> ChangeJson.decode(record.value()).version().value())
                    .as("versions of %s in offset order", customer).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
        assertThat(records.stream().map(ConsumerRecord::partition).distinct().count()).as("partitions used by 20 customers").isGreaterThan(1);
    }

    @Test
    void keyIsTheCustomerIdAndValueIsTheChangeAsJson() {
        KafkaTopicAdmin.ensureTopics(settings, List.of());
        CustomerChange change = changes.next(CustomerId.generate(), 1);

        try (KafkaChangePublisher publisher = KafkaChangePublisher.create(settings)) {
            publisher.publish(List.of(change));
        }

        List<ConsumerRecord<byte[], byte[]>> records = KafkaProbe.readAll(settings.topicPrefix() + "customer-changes");
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(change.customerId().toString());
            assertThat(ChangeJson.decode(record.value())).isEqualTo(change);
            assertThat(record.partition()).isEqualTo(Changes.partitionOf(change.customerId(), 6));
        });
    }

    @Test
    void publishingToAnUnreachableBrokerFailsWithinTheBound() {
        KafkaSettings nowhere = KafkaSettings.of(KafkaProbe.unreachableBootstrap(), "publisher-test");
        List<CustomerChange> batch = List.of(changes.next(CustomerId.generate(), 1), changes.next(CustomerId.generate(), 1));
        Duration bound = ClientConfigs.MAX_BLOCK.plus(ClientConfigs.DELIVERY_TIMEOUT).plus(KafkaChangePublisher.ACK_GRACE);

        long started = System.nanoTime();
        try (KafkaChangePublisher publisher = KafkaChangePublisher.create(nowhere)) {
            assertThatThrownBy(() -> publisher.publish(batch))
                    .isInstanceOf(ChangePublishFailed.class)
                    .hasMessageContaining("change " + batch.getFirst().id());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        FIGURES.info("publish against an unreachable broker failed after " + took.toMillis() + " ms (bound " + bound.toSeconds() + " s)");
        assertThat(took).isLessThan(bound);
    }
}
