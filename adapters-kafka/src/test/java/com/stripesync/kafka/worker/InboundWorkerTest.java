package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.application.inbound.HandleInboundEvent;
import com.stripesync.application.inbound.InboundOutcome;
import com.stripesync.domain.inbound.UnreadableEvent;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.inbound.InboundRecords;
import com.stripesync.kafka.inbound.KafkaInboundEventQueue;
import com.stripesync.kafka.testkit.Events;
import com.stripesync.kafka.testkit.KafkaProbe;
import com.stripesync.kafka.testkit.RecordingHandler;
import com.stripesync.kafka.topic.KafkaTopicAdmin;
import com.stripesync.kafka.topic.SyncTopics;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.logging.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inbound workers against the shared test broker; each test has topics and a group of its own. */
class InboundWorkerTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(InboundWorkerTest.class.getName());

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Events events = new Events();
    private final List<InboundWorker> workers = new ArrayList<>();
    private KafkaSettings settings;
    private SyncTopics topics;
    private String group;
    private KafkaInboundEventQueue queue;

    @BeforeEach
    void freshTopics() {
        settings = new KafkaSettings(SharedKafka.bootstrapServers(), SharedKafka.freshTopicPrefix(), PARTITIONS, (short) 1, "worker-test");
        topics = SyncTopics.of(settings);
        group = topics.inboundGroup(STRIPE);
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
        queue = KafkaInboundEventQueue.create(settings);
    }

    @AfterEach
    void closeWorkersAndQueue() {
        workers.forEach(InboundWorker::close);
        queue.close();
    }

    @Test
    void eventsOfOneCustomerAreHandledInTheOrderTheyWereEnqueued() {
        List<String> customers = IntStream.range(0, 10).mapToObj(i -> Events.customer()).toList();
        List<VerifiedEvent> enqueued = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            customers.forEach(customer -> enqueued.add(events.about(customer)));
            enqueued.add(events.aboutNoCustomer());
        }
        RecordingHandler handler = RecordingHandler.applyingEverything();

        start(settings, handler, WorkerTiming.STANDARD);
        enqueued.forEach(event -> queue.enqueue(STRIPE, event));

        await().atMost(WAIT).until(() -> handler.count() >= enqueued.size());
        for (String customer : customers) {
            assertThat(handler.eventIdsOf(customer)).as("events of %s", customer)
                    .containsExactlyElementsOf(enqueued.stream().filter(event -> event.customer().filter(subject -> subject.value().equals(customer)).isPresent())
                            .map(event -> event.id().value()).toList());
        }
        assertThat(handler.eventIds()).containsExactlyInAnyOrderElementsOf(enqueued.stream().map(event -> event.id().value()).toList());
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(enqueued.size()));
    }

    @Test
    void joinsTheApplyGroupAsAStaticMemberNamedAfterItsInstance() {
        start(settings, RecordingHandler.applyingEverything(), WorkerTiming.STANDARD);

        await().atMost(WAIT).untilAsserted(() -> {
            var assignments = KafkaProbe.assignments(settings.topicPrefix() + "apply.stripe");
            assertThat(assignments).containsOnlyKeys("worker-test-inbound-stripe");
            assertThat(assignments.get("worker-test-inbound-stripe")).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topics.inbound(STRIPE), p)).toList());
        });
    }

    @Test
    void aStoppedThenRestartedWorkerResumesWithTheEventsItHadNotHandled() {
        String customer = Events.customer();
        List<VerifiedEvent> six = IntStream.range(0, 6).mapToObj(i -> events.about(customer)).toList();
        RecordingHandler before = RecordingHandler.applyingEverything();
        InboundWorker first = start(settings, before, WorkerTiming.STANDARD);
        six.subList(0, 3).forEach(event -> queue.enqueue(STRIPE, event));
        await().atMost(WAIT).until(() -> before.count() >= 3);
        first.close();
        six.subList(3, 6).forEach(event -> queue.enqueue(STRIPE, event));

        RecordingHandler after = RecordingHandler.applyingEverything();
        long starting = System.nanoTime();
        start(settings, after, WorkerTiming.STANDARD);
        await().atMost(WAIT).until(() -> after.count() >= 1);
        Duration resumedAfter = Duration.ofNanos(after.calls().getFirst().startedNanos() - starting);

        FIGURES.info("Inbound worker restarted with the same instance id handled its first event after " + resumedAfter.toMillis() + " ms");
        await().atMost(WAIT).until(() -> after.count() >= 3);
        assertThat(first.isRunning()).isFalse();
        assertThat(before.eventIds()).containsExactly("evt_1", "evt_2", "evt_3");
        assertThat(after.eventIds()).containsExactly("evt_4", "evt_5", "evt_6");
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(6));
    }

    @Test
    void aRejectedEventGoesToTheInboundDeadLetterTopicWithItsReasonAndLaterEventsFollow() {
        String customer = Events.customer();
        List<VerifiedEvent> three = IntStream.range(0, 3).mapToObj(i -> events.about(customer)).toList();
        String reason = "unreadable event: email " + Events.email(2) + " is not an address";
        RecordingHandler handler = new RecordingHandler(call -> call.eventId().equals("evt_2")
                ? new InboundOutcome.Rejected(reason)
                : new InboundOutcome.Applied("updated"));

        try (LogCapture log = LogCapture.of(InboundWorker.class)) {
            start(settings, handler, WorkerTiming.STANDARD);
            three.forEach(event -> queue.enqueue(STRIPE, event));

            await().atMost(WAIT).until(() -> handler.count() >= 3);
            assertThat(handler.eventIds()).containsExactly("evt_1", "evt_2", "evt_3");
            List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaProbe.awaitRecords(topics.inboundDeadLetter(STRIPE), 1);
            assertThat(deadLetters).singleElement().satisfies(letter -> {
                assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(customer);
                assertThat(letter.value()).isEqualTo(three.get(1).payload());
                assertThat(header(letter, InboundRecords.EVENT_ID)).as("the event id header is kept").isEqualTo("evt_2");
                assertThat(header(letter, InboundRecords.EVENT_TYPE)).isEqualTo("customer.updated");
                assertThat(header(letter, DeadLetterHeaders.CAUSE)).isEqualTo("rejected");
                assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(reason);
                assertThat(header(letter, DeadLetterHeaders.SYSTEM)).isEqualTo("stripe");
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(topics.inbound(STRIPE));
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo(Integer.toString(partitionOf(customer).partition()));
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("1");
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(3));
            assertThat(log.messages(Level.WARNING)).anyMatch(line -> line.contains("event evt_2") && line.contains(topics.inboundDeadLetter(STRIPE)));
            assertThat(log.messages(Level.ALL)).noneMatch(line -> line.contains("@example.com"));
        }
    }

    @Test
    void aRecordWithoutPayloadGoesToTheDeadLetterTopicAsUndecodableAndLaterEventsFollow() {
        String customer = Events.customer();
        VerifiedEvent later = events.about(customer);
        RecordingHandler handler = RecordingHandler.applyingEverything();
        start(settings, handler, WorkerTiming.STANDARD);

        KafkaProbe.produceRaw(topics.inbound(STRIPE), List.of(new ProducerRecord<>(topics.inbound(STRIPE), null,
                customer.getBytes(StandardCharsets.UTF_8), null,
                List.of(new RecordHeader(InboundRecords.EVENT_ID, "evt_empty".getBytes(StandardCharsets.UTF_8))))));
        queue.enqueue(STRIPE, later);

        await().atMost(WAIT).until(() -> handler.count() >= 1);
        assertThat(handler.eventIds()).containsExactly(later.id().value());
        assertThat(KafkaProbe.awaitRecords(topics.inboundDeadLetter(STRIPE), 1)).singleElement().satisfies(letter -> {
            assertThat(letter.value()).isNull();
            assertThat(header(letter, InboundRecords.EVENT_ID)).isEqualTo("evt_empty");
            assertThat(header(letter, DeadLetterHeaders.CAUSE)).isEqualTo("undecodable");
            assertThat(header(letter, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(UnreadableEvent.class.getName());
            assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(2));
    }

    @Test
    void aDeferredEventIsRetriedAfterItsDelayAndNothingLaterOfItsCustomerOvertakesItWhileOthersGoOn() {
        String a = Events.customerInPartition(0, PARTITIONS);
        String c = Events.customerInPartition(0, PARTITIONS);
        String b = Events.customerInPartition(1, PARTITIONS);
        VerifiedEvent a1 = events.about(a);
        VerifiedEvent a2 = events.about(a);
        VerifiedEvent c1 = events.about(c);
        VerifiedEvent a3 = events.about(a);
        VerifiedEvent b1 = events.about(b);
        VerifiedEvent b2 = events.about(b);
        Duration delay = Duration.ofSeconds(2);
        AtomicBoolean deferred = new AtomicBoolean();
        RecordingHandler handler = new RecordingHandler(call -> call.eventId().equals(a2.id().value()) && deferred.compareAndSet(false, true)
                ? new InboundOutcome.Deferred(delay, "the catalog is unavailable")
                : new InboundOutcome.Applied("updated"));

        start(settings, handler, WorkerTiming.STANDARD);
        List.of(a1, a2, c1, a3, b1, b2).forEach(event -> queue.enqueue(STRIPE, event));

        await().atMost(WAIT).until(() -> handler.count() >= 7);
        List<String> ids = handler.eventIds();
        assertThat(handler.eventIdsOf(a)).as("customer a, in order of calls")
                .containsExactly(a1.id().value(), a2.id().value(), a2.id().value(), a3.id().value());
        int firstTry = ids.indexOf(a2.id().value());
        int retry = ids.lastIndexOf(a2.id().value());
        Duration waited = Duration.ofNanos(handler.calls().get(retry).startedNanos() - handler.calls().get(firstTry).startedNanos());
        FIGURES.info("Deferred event redelivered after " + waited.toMillis() + " ms (asked for " + delay.toMillis() + " ms)");
        assertThat(waited).isGreaterThanOrEqualTo(delay);
        assertThat(ids.indexOf(c1.id().value())).as("another customer in the same partition went on meanwhile").isLessThan(retry);
        assertThat(ids.indexOf(b2.id().value())).as("the other partition went on meanwhile").isLessThan(retry);
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(6));
    }

    @Test
    void duplicateEventsAreAllPassedToTheHandlerWhoseLedgerDecides() {
        String customer = Events.customer();
        VerifiedEvent once = events.about(customer);
        VerifiedEvent next = events.about(customer);
        Set<String> ledger = ConcurrentHashMap.newKeySet();
        RecordingHandler handler = new RecordingHandler(call -> ledger.add(call.eventId())
                ? new InboundOutcome.Applied("updated")
                : new InboundOutcome.Ignored("duplicate"));
        start(settings, handler, WorkerTiming.STANDARD);

        // The sender timed out twice and delivered the same event three times.
        queue.enqueue(STRIPE, once);
        queue.enqueue(STRIPE, once);
        queue.enqueue(STRIPE, once);
        queue.enqueue(STRIPE, next);

        await().atMost(WAIT).until(() -> handler.count() >= 4);
        assertThat(handler.eventIds()).containsExactly("evt_1", "evt_1", "evt_1", "evt_2");
        assertThat(handler.calls().subList(0, 3)).allSatisfy(call -> assertThat(call.payload()).isEqualTo(once.payload()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(4));
    }

    @Test
    void appliedIgnoredAndConflictOutcomesAreDoneAndNothingGoesToTheDeadLetterTopic() {
        String customer = Events.customer();
        List<VerifiedEvent> three = IntStream.range(0, 3).mapToObj(i -> events.about(customer)).toList();
        RecordingHandler handler = new RecordingHandler(call -> switch (call.eventId()) {
            case "evt_1" -> new InboundOutcome.Applied("created");
            case "evt_2" -> new InboundOutcome.Ignored("stale: a later event was applied already");
            default -> new InboundOutcome.Conflict("email " + Events.email(3) + " taken by another customer");
        });

        try (LogCapture log = LogCapture.of(InboundWorker.class)) {
            start(settings, handler, WorkerTiming.STANDARD);
            three.forEach(event -> queue.enqueue(STRIPE, event));

            await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(3));
            assertThat(handler.eventIds()).containsExactly("evt_1", "evt_2", "evt_3");
            assertThat(KafkaProbe.readAll(topics.inboundDeadLetter(STRIPE))).isEmpty();
            assertThat(log.messages(Level.INFO)).anyMatch(line -> line.contains("evt_3") && line.contains("conflict"));
            assertThat(log.messages(Level.ALL)).noneMatch(line -> line.contains("@example.com"));
        }
    }

    @Test
    void aHandlerThatThrowsIsRetriedWithBackoffAndTheLogNamesTheEventNeverItsPayload() {
        String customer = Events.customer();
        List<VerifiedEvent> three = IntStream.range(0, 3).mapToObj(i -> events.about(customer)).toList();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        RecordingHandler handler = new RecordingHandler(call -> {
            if (call.eventId().equals("evt_2") && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("the database refused " + new String(call.payload(), StandardCharsets.UTF_8));
            }
            return new InboundOutcome.Applied("updated");
        });

        try (LogCapture log = LogCapture.of(InboundWorker.class)) {
            InboundWorker worker = start(settings, handler, WorkerTiming.STANDARD.withFailureBackoff(Duration.ofMillis(100)));
            three.forEach(event -> queue.enqueue(STRIPE, event));

            await().atMost(WAIT).until(() -> handler.count() >= 5);
            assertThat(handler.eventIds()).containsExactly("evt_1", "evt_2", "evt_2", "evt_2", "evt_3");
            List<RecordingHandler.Call> calls = handler.calls();
            assertThat(Duration.ofNanos(calls.get(2).startedNanos() - calls.get(1).startedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(Duration.ofNanos(calls.get(3).startedNanos() - calls.get(2).startedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(worker.isRunning()).isTrue();
            assertThat(log.messages(Level.WARNING)).filteredOn(line -> line.contains("Event evt_2"))
                    .singleElement().asString().contains(IllegalStateException.class.getName());
            assertThat(log.messages(Level.ALL)).noneMatch(line -> line.contains("@example.com") || line.contains("Customer 2"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(3));
        }
    }

    @Test
    void anEventWhoseHandlerAlwaysThrowsGoesToTheDeadLetterTopicWithTheErrorAfterTheLimitAndItsCustomerGoesOn() {
        String customer = Events.customer();
        List<VerifiedEvent> three = IntStream.range(0, 3).mapToObj(i -> events.about(customer)).toList();
        RecordingHandler handler = new RecordingHandler(call -> {
            if (call.eventId().equals("evt_2")) {
                throw new IllegalStateException("cannot apply " + Events.email(2));
            }
            return new InboundOutcome.Applied("updated");
        });

        try (LogCapture log = LogCapture.of(InboundWorker.class)) {
            InboundWorker worker = start(settings, handler, WorkerTiming.STANDARD.withFailureBackoff(Duration.ofMillis(10)));
            three.forEach(event -> queue.enqueue(STRIPE, event));

            await().atMost(WAIT).until(() -> handler.eventIds().contains("evt_3"));
            assertThat(handler.eventIds()).containsExactlyElementsOf(expectedCalls());
            assertThat(KafkaProbe.awaitRecords(topics.inboundDeadLetter(STRIPE), 1)).singleElement().satisfies(letter -> {
                assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(customer);
                assertThat(letter.value()).isEqualTo(three.get(1).payload());
                assertThat(header(letter, InboundRecords.EVENT_ID)).isEqualTo("evt_2");
                assertThat(header(letter, DeadLetterHeaders.CAUSE)).isEqualTo(DeadLetterHeaders.CAUSE_FAILED);
                assertThat(header(letter, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
                assertThat(header(letter, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("cannot apply " + Events.email(2));
                assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo(Integer.toString(RecordWorker.MAX_CONSECUTIVE_FAILURES));
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("1");
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(3));
            assertThat(worker.isRunning()).isTrue();
            assertThat(log.messages(Level.WARNING)).anyMatch(line -> line.contains("event evt_2")
                    && line.contains(topics.inboundDeadLetter(STRIPE)) && line.contains(IllegalStateException.class.getName()));
            assertThat(log.messages(Level.ALL)).noneMatch(line -> line.contains("@example.com"));
        }
    }

    /** evt_1 once, evt_2 as often as the limit lets its handler throw, then evt_3. */
    private static List<String> expectedCalls() {
        List<String> calls = new ArrayList<>(List.of("evt_1"));
        IntStream.range(0, RecordWorker.MAX_CONSECUTIVE_FAILURES).forEach(i -> calls.add("evt_2"));
        calls.add("evt_3");
        return calls;
    }

    private InboundWorker start(KafkaSettings workerSettings, HandleInboundEvent handler, WorkerTiming timing) {
        InboundWorker worker = InboundWorker.start(workerSettings, STRIPE, handler, timing, WorkerConcurrency.DEFAULT);
        workers.add(worker);
        return worker;
    }

    private TopicPartition partitionOf(String customer) {
        return new TopicPartition(topics.inbound(STRIPE), Events.partitionOf(customer, PARTITIONS));
    }

    private long committedTotal() {
        return KafkaProbe.committed(group).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetterHeaders.value(record.headers(), name);
    }
}
