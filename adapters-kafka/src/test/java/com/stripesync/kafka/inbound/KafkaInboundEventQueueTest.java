package com.stripesync.kafka.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.stripesync.domain.inbound.EventHandOffFailed;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.embedded.kafka.EmbeddedKafkaBroker;
import com.stripesync.embedded.kafka.EmbeddedKafkaSettings;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.testkit.Events;
import com.stripesync.kafka.testkit.KafkaProbe;
import com.stripesync.kafka.topic.KafkaTopicAdmin;
import com.stripesync.kafka.topic.SyncTopics;
import com.stripesync.kafka.worker.DeadLetterHeaders;
import com.stripesync.testing.kafka.SharedKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KafkaInboundEventQueueTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(KafkaInboundEventQueueTest.class.getName());

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final SystemName SALESFORCE = new SystemName("salesforce");
    private static final int PARTITIONS = 3;

    private final KafkaSettings settings = new KafkaSettings(SharedKafka.bootstrapServers(), SharedKafka.freshTopicPrefix(),
            PARTITIONS, (short) 1, "queue-test");
    private final SyncTopics topics = SyncTopics.of(settings);
    private final Events events = new Events();

    @Test
    void enqueueStoresTheExactPayloadKeyedByTheSubjectCustomerWithEventIdAndTypeHeaders() {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
        String customer = Events.customer();
        // Bytes as a sender signs them: not re-encoded, not normalized (CRLF, trailing blanks, even invalid UTF-8).
        byte[] payload = concat("{\"id\": \"evt_exact\",\r\n \"name\": \"Zoë ✓\"}  \n".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xFF, 0x00});
        VerifiedEvent event = new VerifiedEvent(new EventId("evt_exact"), "customer.updated", new ExternalId(customer), true, payload);

        try (KafkaInboundEventQueue queue = KafkaInboundEventQueue.create(settings)) {
            queue.enqueue(STRIPE, event);
        }

        assertThat(KafkaProbe.readAll(topics.inbound(STRIPE))).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(payload);
            assertThat(text(record.key())).isEqualTo(customer);
            assertThat(record.partition()).isEqualTo(Events.partitionOf(customer, PARTITIONS));
            assertThat(header(record, InboundRecords.EVENT_ID)).isEqualTo("evt_exact");
            assertThat(header(record, InboundRecords.EVENT_TYPE)).isEqualTo("customer.updated");
        });
    }

    @Test
    void anEventAboutNoCustomerIsKeyedByItsEventId() {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
        VerifiedEvent event = events.aboutNoCustomer();

        try (KafkaInboundEventQueue queue = KafkaInboundEventQueue.create(settings)) {
            queue.enqueue(STRIPE, event);
        }

        assertThat(KafkaProbe.readAll(topics.inbound(STRIPE))).singleElement().satisfies(record -> {
            assertThat(text(record.key())).isEqualTo(event.id().value());
            assertThat(record.value()).isEqualTo(event.payload());
            assertThat(header(record, InboundRecords.EVENT_TYPE)).isEqualTo("customer.discount.created");
        });
    }

    @Test
    void eachSystemsEventsGoToItsOwnInboundTopic() {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE, SALESFORCE));
        VerifiedEvent fromStripe = events.about(Events.customer());
        VerifiedEvent fromSalesforce = events.about(Events.customer());

        try (KafkaInboundEventQueue queue = KafkaInboundEventQueue.create(settings)) {
            queue.enqueue(STRIPE, fromStripe);
            queue.enqueue(SALESFORCE, fromSalesforce);
        }

        assertThat(KafkaProbe.readAll(topics.inbound(STRIPE))).extracting(record -> header(record, InboundRecords.EVENT_ID))
                .containsExactly(fromStripe.id().value());
        assertThat(KafkaProbe.readAll(topics.inbound(SALESFORCE))).extracting(record -> header(record, InboundRecords.EVENT_ID))
                .containsExactly(fromSalesforce.id().value());
    }

    @Test
    void concurrentRequestsShareOneProducerAndEachCustomersEventsStayInOrder() throws Exception {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
        int requesters = 8;
        int perRequester = 25;
        List<String> customers = IntStream.range(0, requesters).mapToObj(i -> Events.customer()).toList();

        List<List<String>> enqueued = new ArrayList<>();
        long started = System.nanoTime();
        try (KafkaInboundEventQueue queue = KafkaInboundEventQueue.create(settings);
             ExecutorService requests = Executors.newFixedThreadPool(requesters)) {
            List<Future<List<String>>> done = new ArrayList<>();
            for (String customer : customers) {
                done.add(requests.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < perRequester; i++) {
                        VerifiedEvent event = events.about(customer);
                        queue.enqueue(STRIPE, event);
                        ids.add(event.id().value());
                    }
                    return ids;
                }));
            }
            for (Future<List<String>> requester : done) {
                enqueued.add(requester.get());
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        FIGURES.info(requesters + " concurrent requesters enqueued " + requesters * perRequester + " events in "
                + took.toMillis() + " ms through one producer");
        Map<String, List<String>> stored = KafkaProbe.readAll(topics.inbound(STRIPE)).stream().collect(Collectors.groupingBy(
                record -> text(record.key()), Collectors.mapping(record -> header(record, InboundRecords.EVENT_ID), Collectors.toList())));
        for (int i = 0; i < requesters; i++) {
            assertThat(stored.get(customers.get(i))).as("events of %s in offset order", customers.get(i))
                    .containsExactlyElementsOf(enqueued.get(i));
        }
    }

    @Test
    void underConcurrentRequestsRecordsShareProduceRequestsAndAloneEachGoesAtOnce() throws Exception {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
        try (KafkaInboundEventQueue alone = KafkaInboundEventQueue.create(settings)) {
            for (int i = 0; i < 50; i++) {
                alone.enqueue(STRIPE, events.about(Events.customer()));
            }
            // The client's average also counts a request or two that carried no record of ours (0.96 seen).
            assertThat(alone.recordsPerRequest()).as("one sender: one record a request").isBetween(0.8, 1.1);
        }
        try (KafkaInboundEventQueue shared = KafkaInboundEventQueue.create(settings);
             ExecutorService requests = Executors.newFixedThreadPool(32)) {
            List<Future<?>> done = new ArrayList<>();
            for (int sender = 0; sender < 32; sender++) {
                done.add(requests.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        shared.enqueue(STRIPE, events.about(Events.customer()));
                    }
                }));
            }
            for (Future<?> sender : done) {
                sender.get();
            }
            FIGURES.info("32 concurrent senders: " + shared.recordsPerRequest() + " records per produce request");
            // Measured here: 16 records a request with one request in flight, 6 with the client's default of 5.
            assertThat(shared.recordsPerRequest()).as("32 senders: records share requests").isGreaterThan(10.0);
        }
    }

    @Test
    void enqueueAgainstAnUnreachableBrokerThrowsEventHandOffFailedWithinFiveSeconds() {
        KafkaSettings nowhere = KafkaSettings.of(KafkaProbe.unreachableBootstrap(), "queue-test");
        VerifiedEvent event = events.about(Events.customer());

        Duration took = timeToFail(nowhere, event);

        FIGURES.info("enqueue against an unreachable broker threw EventHandOffFailed after " + took.toMillis()
                + " ms (bound " + KafkaInboundEventQueue.HAND_OFF_TIMEOUT.toMillis() + " ms)");
        assertThat(took).isLessThan(KafkaInboundEventQueue.HAND_OFF_TIMEOUT);
    }

    @Test
    void enqueueAgainstABrokerThatNeverAnswersThrowsEventHandOffFailedWithinFiveSeconds() throws IOException {
        // Connections are accepted by the kernel (the backlog) and then nothing is ever answered.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            KafkaSettings mute = KafkaSettings.of("127.0.0.1:" + silent.getLocalPort(), "queue-test");
            VerifiedEvent event = events.about(Events.customer());

            Duration took = timeToFail(mute, event);

            FIGURES.info("enqueue against a broker that never answers threw EventHandOffFailed after " + took.toMillis() + " ms");
            assertThat(took).isLessThan(KafkaInboundEventQueue.HAND_OFF_TIMEOUT);
        }
    }

    @Test
    void enqueueThrowsEventHandOffFailedWithinFiveSecondsWhenTheBrokerStopsAfterTheQueueHasConnected(@TempDir Path data) {
        // A broker of this test's own, to stop: the producer knows the topic's leader, so nothing blocks in
        // send() and only delivery.timeout.ms (and our own wait) can end the enqueue.
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(data));
        try {
            KafkaSettings own = new KafkaSettings(broker.bootstrapServers(), settings.topicPrefix(), 1, (short) 1, "queue-test");
            KafkaTopicAdmin.ensureTopics(own, List.of(STRIPE));
            try (KafkaInboundEventQueue queue = KafkaInboundEventQueue.create(own)) {
                queue.enqueue(STRIPE, events.about(Events.customer()));
                broker.close();
                VerifiedEvent event = events.about(Events.customer());

                long started = System.nanoTime();
                Throwable failure = catchThrowable(() -> queue.enqueue(STRIPE, event));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                FIGURES.info("enqueue after the broker stopped threw after " + took.toMillis() + " ms: " + failure);
                assertThat(failure).isInstanceOf(EventHandOffFailed.class).hasMessageContaining(event.id().value());
                assertThat(took).isLessThan(KafkaInboundEventQueue.HAND_OFF_TIMEOUT);
            }
        } finally {
            broker.close();
        }
    }

    @Test
    @Timeout(30)
    void anAcknowledgementThatNeverComesEndsTheWaitWithinFiveSeconds() {
        // The record is taken at once but never acknowledged: only our own bound on the wait ends it.
        MockProducer<byte[], byte[]> neverAcknowledging = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        VerifiedEvent event = events.about(Events.customer());

        long started = System.nanoTime();
        try (KafkaInboundEventQueue queue = new KafkaInboundEventQueue(neverAcknowledging, topics)) {
            assertThatThrownBy(() -> queue.enqueue(STRIPE, event))
                    .isInstanceOf(EventHandOffFailed.class)
                    .hasMessageContaining(event.id().value())
                    .hasMessageContaining("within");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        FIGURES.info("enqueue without an acknowledgement gave up after " + took.toMillis() + " ms");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(KafkaInboundEventQueue.WAIT_LIMIT_MS))
                .isLessThan(KafkaInboundEventQueue.HAND_OFF_TIMEOUT);
        assertThat(neverAcknowledging.history()).hasSize(1);
    }

    @Test
    void enqueueOnAClosedQueueThrowsEventHandOffFailed() {
        KafkaInboundEventQueue queue = KafkaInboundEventQueue.create(settings);
        queue.close();

        assertThatThrownBy(() -> queue.enqueue(STRIPE, events.about(Events.customer()))).isInstanceOf(EventHandOffFailed.class);
    }

    @Test
    void theProducerIsReliableAndEveryOneOfItsWaitsFitsInTheHandOffTimeout() {
        Map<String, Object> config = KafkaInboundEventQueue.producerConfig(settings, KafkaInboundEventQueue.LINGER);

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        int maxBlock = (int) config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        int request = (int) config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        int delivery = (int) config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        int linger = (int) config.get(ProducerConfig.LINGER_MS_CONFIG);
        assertThat(delivery).as("delivery.timeout.ms >= linger.ms + request.timeout.ms").isGreaterThanOrEqualTo(linger + request);
        assertThat(maxBlock + delivery).as("the producer's own verdict comes before our wait ends")
                .isLessThanOrEqualTo(KafkaInboundEventQueue.WAIT_LIMIT_MS);
        assertThat(Duration.ofMillis(KafkaInboundEventQueue.WAIT_LIMIT_MS)).isLessThan(KafkaInboundEventQueue.HAND_OFF_TIMEOUT);
    }

    @Test
    void lingerZeroAnswersSoonerThanTheClientDefaultAtConcurrencyOne() {
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
        int rounds = 200;
        long[] withoutLinger = new long[rounds];
        long[] withDefaultLinger = new long[rounds];
        try (KafkaInboundEventQueue zero = KafkaInboundEventQueue.create(settings, Duration.ZERO);
             KafkaInboundEventQueue five = KafkaInboundEventQueue.create(settings, Duration.ofMillis(5))) {
            for (int i = 0; i < 20; i++) {
                zero.enqueue(STRIPE, events.about(Events.customer()));
                five.enqueue(STRIPE, events.about(Events.customer()));
            }
            // Alternating, so that whatever else loads the machine weighs on both alike.
            for (int i = 0; i < rounds; i++) {
                withoutLinger[i] = timeToEnqueue(zero);
                withDefaultLinger[i] = timeToEnqueue(five);
            }
        }

        FIGURES.info("enqueue at concurrency 1, " + rounds + " each: linger.ms=0 " + summary(withoutLinger)
                + "; linger.ms=5 " + summary(withDefaultLinger));
        assertThat(percentile(withoutLinger, 50)).isLessThan(percentile(withDefaultLinger, 50));
    }

    private long timeToEnqueue(KafkaInboundEventQueue queue) {
        VerifiedEvent event = events.about(Events.customer());
        long started = System.nanoTime();
        queue.enqueue(STRIPE, event);
        return System.nanoTime() - started;
    }

    private static Duration timeToFail(KafkaSettings unusable, VerifiedEvent event) {
        long started = System.nanoTime();
        try (KafkaInboundEventQueue queue = KafkaInboundEventQueue.create(unusable)) {
            assertThatThrownBy(() -> queue.enqueue(STRIPE, event))
                    .isInstanceOf(EventHandOffFailed.class)
                    .hasMessageContaining(event.id().value());
            return Duration.ofNanos(System.nanoTime() - started);
        }
    }

    private static String summary(long[] nanos) {
        return String.format("p50 %.2f ms, p90 %.2f ms, max %.2f ms", percentile(nanos, 50) / 1e6, percentile(nanos, 90) / 1e6,
                percentile(nanos, 100) / 1e6);
    }

    private static long percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetterHeaders.value(record.headers(), name);
    }
}
