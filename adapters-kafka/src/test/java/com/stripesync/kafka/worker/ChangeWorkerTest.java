package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.application.sync.SyncChange;
import com.stripesync.application.sync.SyncOutcome;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.change.ChangeJson;
import com.stripesync.kafka.change.UndecodableChange;
import com.stripesync.kafka.publish.KafkaChangePublisher;
import com.stripesync.kafka.testkit.Changes;
import com.stripesync.kafka.testkit.KafkaProbe;
import com.stripesync.kafka.testkit.RecordingSync;
import com.stripesync.kafka.topic.KafkaTopicAdmin;
import com.stripesync.kafka.topic.SyncTopics;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.logging.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workers against the shared test broker, with the default bound of changes in flight; each test has topics and
 * a group of its own. {@link SequentialChangeWorkerTest} runs them all again with one change at a time.
 */
class ChangeWorkerTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(ChangeWorkerTest.class.getName());

    static final SystemName STRIPE = new SystemName("stripe");
    static final int PARTITIONS = 3;
    static final Duration WAIT = Duration.ofSeconds(30);

    final Changes changes = new Changes();
    private final List<ChangeWorker> workers = new ArrayList<>();
    KafkaSettings settings;
    private SyncTopics topics;
    private String group;

    @BeforeEach
    void freshTopics() {
        settings = new KafkaSettings(SharedKafka.bootstrapServers(), SharedKafka.freshTopicPrefix(), PARTITIONS, (short) 1, "worker-test");
        topics = SyncTopics.of(settings);
        group = topics.workerGroup(STRIPE);
        KafkaTopicAdmin.ensureTopics(settings, List.of(STRIPE));
    }

    @AfterEach
    void closeWorkers() {
        workers.forEach(ChangeWorker::close);
    }

    @Test
    void appliesEveryChangeOnceAndEachCustomersChangesInTheirOrder() {
        List<CustomerId> customers = IntStream.range(0, 10).mapToObj(i -> CustomerId.generate()).toList();
        List<CustomerChange> published = new ArrayList<>();
        for (int version = 1; version <= 4; version++) {
            for (CustomerId customer : customers) {
                published.add(changes.next(customer, version));
            }
        }
        RecordingSync sync = RecordingSync.applyingEverything();

        start(settings, sync, WorkerTiming.STANDARD);
        publish(published);

        await().atMost(WAIT).until(() -> sync.count() >= published.size());
        for (CustomerId customer : customers) {
            assertThat(sync.idsOf(customer)).as("changes of %s", customer)
                    .containsExactlyElementsOf(published.stream().filter(change -> change.customerId().equals(customer))
                            .map(change -> change.id().value()).toList());
        }
        assertThat(sync.ids()).doesNotHaveDuplicates();
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(published.size()));
    }

    @Test
    void changesOfDifferentCustomersRunUpToTheBoundAtOnceAndEachCustomersOneAtATimeInOrder() {
        List<CustomerId> customers = IntStream.range(0, 20).mapToObj(i -> CustomerId.generate()).toList();
        List<CustomerChange> published = new ArrayList<>();
        for (int version = 1; version <= 5; version++) {
            for (CustomerId customer : customers) {
                published.add(changes.next(customer, version));
            }
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        RecordingSync sync = new RecordingSync(change -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            sleep(Duration.ofMillis(20));
            running.decrementAndGet();
            return RecordingSync.applied(change);
        });

        ChangeWorker worker = start(settings, sync, WorkerTiming.STANDARD);
        publish(published);

        await().atMost(WAIT).until(() -> sync.count() >= published.size());
        FIGURES.info("Up to " + concurrency().maxInFlight() + " in flight: " + peak.get() + " syncs ran at once");
        assertThat(peak.get()).isBetween(Math.min(2, concurrency().maxInFlight()), concurrency().maxInFlight());
        assertThat(worker.peakInFlight()).isLessThanOrEqualTo(concurrency().maxInFlight());
        assertThat(sync.ids()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, published.size()).boxed().toList());
        for (CustomerId customer : customers) {
            assertThat(sync.calls().stream().filter(call -> call.change().customerId().equals(customer)).map(call -> call.change().version().value()))
                    .as("versions of %s", customer).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(published.size()));
    }

    @Test
    void closedWhileAChangeIsInProgressCommitsOnlyTheDoneOnesAndTheNextWorkerGetsExactlyTheRest() throws Exception {
        CustomerId customer = CustomerId.generate();
        List<CustomerChange> ten = versions(customer, 10);
        CountDownLatch sixthStarted = new CountDownLatch(1);
        RecordingSync first = new RecordingSync(change -> change.id().value() == 6
                ? blockUntilInterrupted(sixthStarted)
                : RecordingSync.applied(change));
        ChangeWorker worker = start(settings, first, WorkerTiming.STANDARD.withSyncGrace(Duration.ofMillis(200)));
        publish(ten);
        assertThat(sixthStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        worker.close();

        assertThat(worker.isRunning()).isFalse();
        assertThat(first.ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(KafkaProbe.committed(group, partitionOf(customer))).as("committed offset").hasValue(5);
        RecordingSync second = RecordingSync.applyingEverything();
        start(settings, second, WorkerTiming.STANDARD);
        await().atMost(WAIT).until(() -> second.count() >= 5);
        assertThat(second.ids()).containsExactly(6L, 7L, 8L, 9L, 10L);
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(10));
    }

    @Test
    void whenAWorkerHangsItsReplacementRedeliversExactlyTheChangesNotYetDone() throws Exception {
        CustomerId customer = CustomerId.generate();
        List<CustomerChange> ten = versions(customer, 10);
        CountDownLatch sixthStarted = new CountDownLatch(1);
        RecordingSync hanging = new RecordingSync(change -> change.id().value() == 6
                ? blockUntilInterrupted(sixthStarted)
                : RecordingSync.applied(change));
        ChangeWorker hung = start(settings, hanging, WorkerTiming.STANDARD.withSyncGrace(Duration.ofMillis(200)));
        publish(ten.subList(0, 5));
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(5));
        publish(ten.subList(5, 10));
        assertThat(sixthStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(KafkaProbe.committed(group, partitionOf(customer))).as("committed while change 6 hangs").hasValue(5);

        // The process is restarted while the old one hangs: same instance id, so the group hands the partitions over at once.
        RecordingSync replacement = RecordingSync.applyingEverything();
        start(settings, replacement, WorkerTiming.STANDARD);

        await().atMost(WAIT).until(() -> replacement.count() >= 5);
        assertThat(replacement.ids()).containsExactly(6L, 7L, 8L, 9L, 10L);
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(10));
        hung.close();
        assertThat(hanging.ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(KafkaProbe.committed(group, partitionOf(customer))).as("the fenced worker committed nothing on close").hasValue(10);
    }

    @Test
    void aRejectedChangeGoesToTheDeadLetterTopicWithItsReasonAndLaterChangesFollow() {
        CustomerId customer = CustomerId.generate();
        List<CustomerChange> three = versions(customer, 3);
        String reason = "Invalid email address: customer2@example.com";
        RecordingSync sync = new RecordingSync(change -> change.id().value() == 2
                ? new SyncOutcome.Rejected(reason)
                : RecordingSync.applied(change));

        try (LogCapture log = LogCapture.of(ChangeWorker.class)) {
            start(settings, sync, WorkerTiming.STANDARD);
            publish(three);

            await().atMost(WAIT).until(() -> sync.count() >= 3);
            assertThat(sync.ids()).containsExactly(1L, 2L, 3L);
            List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaProbe.awaitRecords(topics.deadLetter(STRIPE), 1);
            assertThat(deadLetters).singleElement().satisfies(letter -> {
                assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(customer.toString());
                assertThat(letter.value()).isEqualTo(ChangeJson.encode(three.get(1)));
                assertThat(header(letter, DeadLetterHeaders.CAUSE)).isEqualTo("rejected");
                assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(reason);
                assertThat(header(letter, DeadLetterHeaders.CHANGE_ID)).isEqualTo("2");
                assertThat(header(letter, DeadLetterHeaders.SYSTEM)).isEqualTo("stripe");
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(topics.changes());
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo(Integer.toString(partitionOf(customer).partition()));
                assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("1");
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(3));
            assertThat(log.messages(Level.WARNING)).anyMatch(line -> line.contains("change 2") && line.contains(topics.deadLetter(STRIPE)));
            assertThat(log.messages(Level.ALL)).noneMatch(line -> line.contains("customer2@example.com"));
        }
    }

    @Test
    void undecodableRecordsGoToTheDeadLetterTopicUnchangedWithTheErrorAndLaterChangesFollow() {
        CustomerId customer = CustomerId.generate();
        List<CustomerChange> two = versions(customer, 2);
        byte[] key = customer.toString().getBytes(StandardCharsets.UTF_8);
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        byte[] nextFormat = "{\"v\":2,\"changeId\":9}".getBytes(StandardCharsets.UTF_8);
        RecordingSync sync = RecordingSync.applyingEverything();
        start(settings, sync, WorkerTiming.STANDARD);

        publish(two.subList(0, 1));
        KafkaProbe.produceRaw(topics.changes(), List.of(
                new ProducerRecord<>(topics.changes(), null, key, notJson, List.of(new RecordHeader("trace-id", "t-1".getBytes(StandardCharsets.UTF_8)))),
                new ProducerRecord<>(topics.changes(), key, nextFormat)));
        publish(two.subList(1, 2));

        await().atMost(WAIT).until(() -> sync.count() >= 2);
        assertThat(sync.ids()).containsExactly(1L, 2L);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaProbe.awaitRecords(topics.deadLetter(STRIPE), 2);
        assertThat(deadLetters).hasSize(2);
        ConsumerRecord<byte[], byte[]> first = deadLetters.get(0);
        assertThat(first.key()).isEqualTo(key);
        assertThat(first.value()).isEqualTo(notJson);
        assertThat(header(first, "trace-id")).as("the original headers are kept").isEqualTo("t-1");
        assertThat(header(first, DeadLetterHeaders.CAUSE)).isEqualTo("undecodable");
        assertThat(header(first, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(UndecodableChange.class.getName());
        assertThat(header(first, DeadLetterHeaders.ERROR_MESSAGE)).startsWith("not JSON");
        assertThat(header(first, DeadLetterHeaders.SYSTEM)).isEqualTo("stripe");
        assertThat(header(first, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(topics.changes());
        assertThat(header(first, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo(Integer.toString(partitionOf(customer).partition()));
        assertThat(header(first, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("1");
        ConsumerRecord<byte[], byte[]> second = deadLetters.get(1);
        assertThat(second.value()).isEqualTo(nextFormat);
        assertThat(header(second, DeadLetterHeaders.ERROR_MESSAGE)).contains("format version");
        assertThat(header(second, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("2");
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(4));
    }

    @Test
    void aDeferredChangeIsRetriedAfterItsDelayAndNothingLaterOfItsCustomerOvertakesIt() {
        Deferral deferral = deferOnce();

        await().atMost(WAIT).until(() -> deferral.sync.count() >= 7);
        List<Long> ids = deferral.sync.ids();
        assertThat(deferral.sync.idsOf(deferral.a)).as("customer a, in order of calls")
                .containsExactly(deferral.a1.id().value(), deferral.a2.id().value(), deferral.a2.id().value(), deferral.a3.id().value());
        int retry = ids.lastIndexOf(deferral.a2.id().value());
        assertThat(deferral.waited()).isGreaterThanOrEqualTo(deferral.delay);
        assertThat(ids.indexOf(deferral.c1.id().value())).as("another customer in the same partition went on meanwhile").isLessThan(retry);
        assertThat(ids.indexOf(deferral.b2.id().value())).as("the other partition went on meanwhile").isLessThan(retry);
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(6));
    }

    /** Customers a and c in partition 0, b in partition 1; a's second change is deferred once, for 2 s. */
    Deferral deferOnce() {
        CustomerId a = Changes.customerInPartition(0, PARTITIONS);
        CustomerId c = Changes.customerInPartition(0, PARTITIONS);
        CustomerId b = Changes.customerInPartition(1, PARTITIONS);
        CustomerChange a1 = changes.next(a, 1);
        CustomerChange a2 = changes.next(a, 2);
        CustomerChange c1 = changes.next(c, 1);
        CustomerChange a3 = changes.next(a, 3);
        CustomerChange b1 = changes.next(b, 1);
        CustomerChange b2 = changes.next(b, 2);
        Duration delay = Duration.ofSeconds(2);
        AtomicBoolean deferred = new AtomicBoolean();
        RecordingSync sync = new RecordingSync(change -> change.equals(a2) && deferred.compareAndSet(false, true)
                ? new SyncOutcome.Deferred(delay, "Stripe answered 503")
                : RecordingSync.applied(change));

        start(settings, sync, WorkerTiming.STANDARD);
        publish(List.of(a1, a2, c1, a3, b1, b2));
        return new Deferral(sync, delay, a, a1, a2, c1, a3, b1, b2);
    }

    record Deferral(RecordingSync sync, Duration delay, CustomerId a, CustomerChange a1, CustomerChange a2, CustomerChange c1,
                    CustomerChange a3, CustomerChange b1, CustomerChange b2) {

        Duration waited() {
            List<Long> ids = sync.ids();
            int firstTry = ids.indexOf(a2.id().value());
            int retry = ids.lastIndexOf(a2.id().value());
            Duration waited = Duration.ofNanos(sync.calls().get(retry).startedNanos() - sync.calls().get(firstTry).startedNanos());
            FIGURES.info("Deferred change redelivered after " + waited.toMillis() + " ms (asked for " + delay.toMillis() + " ms)");
            return waited;
        }
    }

    @Test
    void aSyncThatThrowsIsRetriedWithBackoffLoggedOnceWithoutPersonalData() {
        CustomerId customer = CustomerId.generate();
        List<CustomerChange> three = versions(customer, 3);
        AtomicInteger failuresLeft = new AtomicInteger(2);
        RecordingSync sync = new RecordingSync(change -> {
            if (change.id().value() == 2 && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("the database refused customer2@example.com");
            }
            return RecordingSync.applied(change);
        });

        try (LogCapture log = LogCapture.of(ChangeWorker.class)) {
            ChangeWorker worker = start(settings, sync, WorkerTiming.STANDARD.withFailureBackoff(Duration.ofMillis(100)));
            publish(three);

            await().atMost(WAIT).until(() -> sync.count() >= 5);
            assertThat(sync.ids()).containsExactly(1L, 2L, 2L, 2L, 3L);
            List<RecordingSync.Call> calls = sync.calls();
            assertThat(Duration.ofNanos(calls.get(2).startedNanos() - calls.get(1).startedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(Duration.ofNanos(calls.get(3).startedNanos() - calls.get(2).startedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(worker.isRunning()).isTrue();
            assertThat(log.messages(Level.WARNING)).filteredOn(line -> line.contains("Change 2"))
                    .singleElement().asString().contains(IllegalStateException.class.getName());
            assertThat(log.messages(Level.ALL)).noneMatch(line -> line.contains("customer2@example.com"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(3));
        }
    }

    @Test
    void aChangeWhoseSyncAlwaysThrowsGoesToTheDeadLetterTopicAfterTheLimitAndLaterChangesFollow() {
        CustomerId customer = CustomerId.generate();
        List<CustomerChange> three = versions(customer, 3);
        RecordingSync sync = new RecordingSync(change -> {
            if (change.id().value() == 2) {
                throw new IllegalStateException("a bug");
            }
            return RecordingSync.applied(change);
        });

        start(settings, sync, WorkerTiming.STANDARD.withFailureBackoff(Duration.ofMillis(10)));
        publish(three);

        await().atMost(WAIT).until(() -> sync.ids().contains(3L));
        assertThat(sync.ids()).filteredOn(id -> id == 2L).hasSize(RecordWorker.MAX_CONSECUTIVE_FAILURES);
        assertThat(KafkaProbe.awaitRecords(topics.deadLetter(STRIPE), 1)).singleElement().satisfies(letter -> {
            assertThat(letter.value()).isEqualTo(ChangeJson.encode(three.get(1)));
            assertThat(header(letter, DeadLetterHeaders.CAUSE)).isEqualTo(DeadLetterHeaders.CAUSE_FAILED);
            assertThat(header(letter, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo(Integer.toString(RecordWorker.MAX_CONSECUTIVE_FAILURES));
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partitionOf(customer))).hasValue(3));
    }

    @Test
    void twoWorkersWithDifferentInstanceIdsShareThePartitions() {
        RecordingSync syncA = RecordingSync.applyingEverything();
        RecordingSync syncB = RecordingSync.applyingEverything();
        start(settings.withInstanceId("worker-a"), syncA, WorkerTiming.STANDARD);
        start(settings.withInstanceId("worker-b"), syncB, WorkerTiming.STANDARD);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Collection<TopicPartition>> assignments = KafkaProbe.assignments(group);
            assertThat(assignments).containsOnlyKeys("worker-a-stripe", "worker-b-stripe");
            assertThat(assignments.values()).allSatisfy(partitions -> assertThat(partitions).isNotEmpty());
            assertThat(assignments.values().stream().mapToInt(Collection::size).sum()).isEqualTo(PARTITIONS);
        });
        List<CustomerId> customers = IntStream.range(0, 30).mapToObj(i -> Changes.customerInPartition(i % PARTITIONS, PARTITIONS)).toList();
        List<CustomerChange> published = new ArrayList<>();
        customers.forEach(customer -> published.add(changes.next(customer, 1)));
        customers.forEach(customer -> published.add(changes.next(customer, 2)));

        publish(published);

        await().atMost(WAIT).until(() -> syncA.count() + syncB.count() >= published.size());
        FIGURES.info("Two workers shared " + published.size() + " changes: " + syncA.count() + " and " + syncB.count());
        assertThat(syncA.count()).isPositive();
        assertThat(syncB.count()).isPositive();
        List<Long> all = new ArrayList<>(syncA.ids());
        all.addAll(syncB.ids());
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, published.size()).boxed().toList());
        Set<CustomerId> ofA = new HashSet<>(syncA.calls().stream().map(call -> call.change().customerId()).toList());
        assertThat(syncB.calls()).as("each customer with one worker").noneMatch(call -> ofA.contains(call.change().customerId()));
    }

    @Test
    void aWorkerJoiningMidStreamTakesOverPartitionsWithoutLosingAChangeOrBreakingACustomersOrder() {
        List<CustomerId> customers = IntStream.range(0, 30).mapToObj(i -> Changes.customerInPartition(i % PARTITIONS, PARTITIONS)).toList();
        List<CustomerChange> before = new ArrayList<>();
        List<CustomerChange> after = new ArrayList<>();
        for (int version = 1; version <= 5; version++) {
            for (CustomerId customer : customers) {
                (version <= 3 ? before : after).add(changes.next(customer, version));
            }
        }
        RecordingSync slow = new RecordingSync(change -> {
            sleep(Duration.ofMillis(50)); // a busy worker: alone, one change at a time, it would need 7.5 s
            return RecordingSync.applied(change);
        });
        RecordingSync joining = RecordingSync.applyingEverything();
        start(settings.withInstanceId("worker-a"), slow, WorkerTiming.STANDARD);
        publish(before);
        await().atMost(WAIT).until(() -> slow.count() >= 10);

        start(settings.withInstanceId("worker-b"), joining, WorkerTiming.STANDARD);
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.assignments(group).values())
                .hasSize(2).allSatisfy(partitions -> assertThat(partitions).isNotEmpty()));
        publish(after);

        int total = before.size() + after.size();
        await().atMost(WAIT).until(() -> allIds(slow, joining).containsAll(LongStream.rangeClosed(1, total).boxed().toList()));
        List<Long> repeated = slow.ids().stream().filter(joining.ids()::contains).toList();
        FIGURES.info("Mid-stream rebalance: the first worker applied " + slow.count() + " changes, the one that joined "
                + joining.count() + "; repeated at the handover: " + repeated.size());
        assertThat(joining.count()).as("changes applied by the worker that joined").isPositive();
        assertThat(slow.ids()).as("applied twice by the first worker").doesNotHaveDuplicates();
        assertThat(joining.ids()).as("applied twice by the worker that joined").doesNotHaveDuplicates();
        if (concurrency().maxInFlight() == 1) {
            // One change at a time: the only change in flight finishes before the partition moves.
            assertThat(repeated).isEmpty();
        }
        List<RecordingSync.Call> all = new ArrayList<>(slow.calls());
        all.addAll(joining.calls());
        all.sort((x, y) -> Long.compare(x.startedNanos(), y.startedNanos()));
        for (CustomerId customer : customers) {
            List<Long> versions = all.stream().filter(call -> call.change().customerId().equals(customer))
                    .map(call -> call.change().version().value()).toList();
            // A change done after one of its partition that was not can be repeated by the next owner, in its place.
            assertThat(versions).as("versions of %s across both workers, in the order applied", customer).isSorted();
            assertThat(versions.stream().distinct()).as("versions of %s", customer).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(total));
    }

    private static Set<Long> allIds(RecordingSync first, RecordingSync second) {
        Set<Long> ids = new HashSet<>(first.ids());
        ids.addAll(second.ids());
        return ids;
    }

    @Test
    void aWorkerRestartedWithTheSameInstanceIdResumesPromptlyWhereTheLastOneStopped() {
        CustomerId customer = CustomerId.generate();
        List<CustomerChange> six = versions(customer, 6);
        RecordingSync before = RecordingSync.applyingEverything();
        ChangeWorker first = start(settings, before, WorkerTiming.STANDARD);
        publish(six.subList(0, 3));
        await().atMost(WAIT).until(() -> before.count() >= 3);
        long closing = System.nanoTime();
        first.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
        publish(six.subList(3, 6));

        RecordingSync after = RecordingSync.applyingEverything();
        long starting = System.nanoTime();
        start(settings, after, WorkerTiming.STANDARD);
        await().atMost(WAIT).until(() -> after.count() >= 1);
        Duration resumedAfter = Duration.ofNanos(after.calls().getFirst().startedNanos() - starting);

        FIGURES.info("Worker closed in " + closeTook.toMillis() + " ms; restarted with the same instance id, it applied its first change after "
                + resumedAfter.toMillis() + " ms");
        await().atMost(WAIT).until(() -> after.count() >= 3);
        assertThat(after.ids()).containsExactly(4L, 5L, 6L);
        assertThat(first.isRunning()).isFalse();
    }

    /** How many changes the workers of these tests have in flight at most. */
    WorkerConcurrency concurrency() {
        return WorkerConcurrency.DEFAULT;
    }

    ChangeWorker start(KafkaSettings workerSettings, SyncChange sync, WorkerTiming timing) {
        ChangeWorker worker = ChangeWorker.start(workerSettings, STRIPE, sync, timing, concurrency());
        workers.add(worker);
        return worker;
    }

    private void publish(List<CustomerChange> batch) {
        try (KafkaChangePublisher publisher = KafkaChangePublisher.create(settings)) {
            publisher.publish(batch);
        }
    }

    private List<CustomerChange> versions(CustomerId customer, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(version -> changes.next(customer, version)).toList();
    }

    private TopicPartition partitionOf(CustomerId customer) {
        return new TopicPartition(topics.changes(), Changes.partitionOf(customer, PARTITIONS));
    }

    long committedTotal() {
        return KafkaProbe.committed(group).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetterHeaders.value(record.headers(), name);
    }

    private static void sleep(Duration work) {
        try {
            Thread.sleep(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stands for a sync stuck on a call that never answers; only an interrupt (from close) ends it. */
    private static SyncOutcome blockUntilInterrupted(CountDownLatch started) {
        started.countDown();
        try {
            new CountDownLatch(1).await();
            throw new AssertionError("unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SyncOutcome.Deferred(Duration.ofSeconds(1), "interrupted while waiting for the system");
        }
    }
}
