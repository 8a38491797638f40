package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.testkit.KafkaProbe;
import com.stripesync.testing.kafka.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop's per-key concurrency against the shared test broker, with handlers that trace every call
 * ({@link Trace}); each test has topics and a group of its own.
 */
class KeyedDispatchTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(KeyedDispatchTest.class.getName());

    private static final System.Logger LOG = System.getLogger(KeyedDispatchTest.class.getName());
    private static final SystemName STRIPE = new SystemName("stripe");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String prefix = SharedKafka.freshTopicPrefix();
    private final String topic = prefix + "records";
    private final String group = prefix + "group";
    private final Trace trace = new Trace();
    private final List<RecordWorker<Trace.Item>> workers = new ArrayList<>();

    @AfterEach
    void closeWorkers() {
        workers.forEach(RecordWorker::close);
    }

    @Test
    void aHundredKeysOfTenRecordsEachAreHandledOnceEachKeyInOrderManyAtOnce() {
        createTopics(3);
        List<Trace.Item> produced = produce(keys("customer", 100), 10);
        start("worker-a", WorkerConcurrency.DEFAULT, WorkerTiming.STANDARD, item -> work(0, 300));

        await().atMost(WAIT).until(() -> trace.count() >= produced.size());
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(produced.size()));

        List<Trace.Call> calls = trace.calls();
        assertThat(calls).as("handled exactly once").hasSize(produced.size());
        assertThat(calls.stream().map(Trace.Call::item)).containsExactlyInAnyOrderElementsOf(produced);
        assertEachKeyInOrderOneAtATime();
        long sequential = calls.stream().mapToLong(call -> call.endedNanos() - call.startedNanos()).sum();
        long took = calls.getLast().endedNanos() - calls.getFirst().startedNanos();
        Map<Integer, Integer> perPartition = new HashMap<>();
        for (int partition = 0; partition < 3; partition++) {
            int p = partition;
            perPartition.put(partition, Trace.mostAtOnce(calls.stream().filter(call -> call.item().partition() == p).toList()));
        }
        FIGURES.info(String.format("100 keys x 10 records, handlers of 0-300 ms, up to 64 in flight: %d ms (%d ms one at a time, %.1fx);"
                        + " at most %d at once, per partition %s%n",
                took / 1_000_000, sequential / 1_000_000, (double) sequential / took, trace.peak(), perPartition));
        assertThat(trace.peak()).as("handled at once").isGreaterThanOrEqualTo(10).isLessThanOrEqualTo(64);
        assertThat(perPartition.values()).as("at once within one partition").allSatisfy(most -> assertThat(most).isGreaterThan(1));
    }

    @Test
    void aFullWindowHoldsBackFetchingSoNoMoreThanTheBoundAreEverInFlight() {
        createTopics(3);
        List<Trace.Item> produced = produce(keys("customer", 40), 5);
        RecordWorker<Trace.Item> worker = start("worker-a", new WorkerConcurrency(5), WorkerTiming.STANDARD, item -> work(20, 20));

        await().atMost(WAIT).until(() -> trace.count() >= produced.size());

        FIGURES.info("Up to 5 in flight: at most " + worker.peakInFlight() + " in flight, " + trace.peak() + " handled at once");
        assertThat(worker.peakInFlight()).isEqualTo(5);
        assertThat(trace.peak()).isBetween(2, 5);
        assertThat(trace.calls()).hasSize(produced.size());
        assertEachKeyInOrderOneAtATime();
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(produced.size()));
    }

    @Test
    void aDeferredKeyWaitsInItsLaneHoldingItsPartitionsCommitWhileOtherKeysGoOn() {
        createTopics(3);
        List<Trace.Item> produced = produce(keys("customer", 20), 5);
        Trace.Item deferredItem = produced.stream().filter(item -> item.key().equals("customer-07") && item.seq() == 2).findFirst().orElseThrow();
        TopicPartition partition = new TopicPartition(topic, deferredItem.partition());
        Duration delay = Duration.ofSeconds(3);
        AtomicBoolean deferred = new AtomicBoolean();
        start("worker-a", WorkerConcurrency.DEFAULT, WorkerTiming.STANDARD, item -> {
            if (item.equals(deferredItem) && deferred.compareAndSet(false, true)) {
                return new Verdict.Defer(delay, "Stripe answered 429");
            }
            return work(10, 10);
        });

        await().atMost(WAIT).until(() -> trace.count() >= produced.size() - 3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaProbe.committed(group, partition))
                .as("committed up to the deferred record").hasValue(deferredItem.offset()));
        assertThat(trace.calls().stream().filter(call -> call.item().equals(deferredItem))).as("not tried again yet").hasSize(1);

        await().atMost(WAIT).until(() -> trace.count() >= produced.size() + 1);
        List<Trace.Call> ofKey = trace.byKey().get("customer-07");
        assertThat(ofKey.stream().map(call -> call.item().seq())).containsExactly(1, 2, 2, 3, 4, 5);
        long retried = ofKey.get(2).startedNanos();
        Duration waited = Duration.ofNanos(retried - ofKey.get(1).startedNanos());
        FIGURES.info("Deferred record tried again after " + waited.toMillis() + " ms (asked for " + delay.toMillis() + " ms)");
        assertThat(waited).isGreaterThanOrEqualTo(delay);
        assertThat(trace.calls()).filteredOn(call -> !call.item().key().equals("customer-07"))
                .as("every other key was done before the retry").allSatisfy(call -> assertThat(call.endedNanos()).isLessThan(retried));
        assertEachKeyInOrderOneAtATime();
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(produced.size()));
    }

    @Test
    void aWorkerJoiningMidStreamAndOneClosedMidStreamLoseNothingKeepEachKeysOrderAndRepeatOnlyUncommittedRecords() {
        createTopics(3);
        List<Trace.Item> produced = produce(keys("customer", 60), 10);
        WorkerConcurrency eight = new WorkerConcurrency(8);
        Function<Trace.Item, Verdict> busy = item -> work(50, 150);
        RecordWorker<Trace.Item> first = start("first", "worker-a", eight, WorkerTiming.STANDARD, busy);
        await().atMost(WAIT).until(() -> trace.count() >= 60);

        start("joining", "worker-b", eight, WorkerTiming.STANDARD, busy);
        await().atMost(WAIT).until(() -> trace.callsOf("joining").size() >= 30);
        first.close();
        int beforeRestart = trace.count();
        // A static member keeps its partitions when it closes: the process restarts with the same instance id.
        start("restarted", "worker-a", eight, WorkerTiming.STANDARD, busy);

        await().atMost(WAIT).until(() -> distinctItems().containsAll(produced));
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(produced.size()));
        List<Trace.Call> calls = trace.calls();
        Map<Trace.Item, List<Trace.Call>> byItem = new HashMap<>();
        calls.forEach(call -> byItem.computeIfAbsent(call.item(), item -> new ArrayList<>()).add(call));
        assertThat(byItem.keySet()).as("nothing lost").containsExactlyInAnyOrderElementsOf(produced);
        List<Trace.Item> repeated = new ArrayList<>();
        byItem.forEach((item, ofItem) -> {
            for (int i = 1; i < ofItem.size(); i++) {
                Trace.Call before = ofItem.get(i - 1);
                Trace.Call again = ofItem.get(i);
                repeated.add(item);
                assertThat(again.worker()).as("%s handled twice by one worker", item).isNotEqualTo(before.worker());
                assertThat(again.startedNanos()).as("%s repeated only after the worker before finished it", item)
                        .isGreaterThan(before.endedNanos());
                long resumedAt = calls.stream().filter(call -> call.worker().equals(again.worker()) && call.item().partition() == item.partition())
                        .mapToLong(call -> call.item().offset()).min().orElseThrow();
                assertThat(item.offset()).as("%s repeated from where its partition was committed", item).isGreaterThanOrEqualTo(resumedAt);
            }
        });
        Map<String, Integer> perWorker = new HashMap<>();
        calls.forEach(call -> perWorker.merge(call.worker(), 1, Integer::sum));
        FIGURES.info("Join and restart mid-stream: records handled per worker " + perWorker + " (" + beforeRestart
                + " before the restart); " + repeated.size() + " of " + produced.size() + " handled twice, at a handover");
        for (Map.Entry<String, List<Trace.Call>> key : trace.byKey().entrySet()) {
            List<Integer> seqs = key.getValue().stream().map(call -> call.item().seq()).toList();
            assertThat(seqs).as("%s in order across the workers", key.getKey()).isSorted();
            assertThat(seqs.stream().distinct()).as(key.getKey()).containsExactlyElementsOf(IntStream.rangeClosed(1, 10).boxed().toList());
            assertOneAtATime(key.getKey(), key.getValue());
        }
    }

    @Test
    void closeCommitsExactlyTheDonePrefixAndTheNextWorkerResumesFromIt() throws Exception {
        createTopics(1);
        List<Trace.Item> produced = produce(keys("customer", 5), 5);
        Trace.Item stuck = produced.get(7);
        assertThat(stuck.offset()).isEqualTo(7);
        CountDownLatch stuckStarted = new CountDownLatch(1);
        RecordWorker<Trace.Item> first = start("worker-a", WorkerConcurrency.DEFAULT, WorkerTiming.STANDARD.withSyncGrace(Duration.ofMillis(200)),
                item -> item.equals(stuck) ? blockUntilInterrupted(stuckStarted) : Verdict.DONE);
        assertThat(stuckStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // Everything else is done, except the stuck key's later records queued behind it.
        await().atMost(WAIT).until(() -> trace.count() >= produced.size() - 4);

        first.close();

        List<Long> doneByFirst = trace.callsOf("worker-a").stream().filter(call -> !call.item().equals(stuck))
                .map(call -> call.item().offset()).sorted().toList();
        assertThat(doneByFirst).as("done ahead of the stuck record").contains(8L, 24L).doesNotContain(12L, 17L, 22L);
        assertThat(KafkaProbe.committed(group, new TopicPartition(topic, 0))).as("committed offset").hasValue(7);
        // A static member keeps its partitions when it closes: the process restarts with the same instance id.
        start("restarted", "worker-a", WorkerConcurrency.DEFAULT, WorkerTiming.STANDARD, item -> Verdict.DONE);
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(produced.size()));
        assertThat(trace.callsOf("restarted").stream().map(call -> call.item().offset()).sorted())
                .as("the next worker resumes at the committed offset").containsExactlyElementsOf(IntStream.range(7, 25).asLongStream().boxed().toList());
        assertEachKeyInOrderOneAtATime();
    }

    private RecordWorker<Trace.Item> start(String instance, WorkerConcurrency concurrency, WorkerTiming timing,
                                            Function<Trace.Item, Verdict> script) {
        return start(instance, instance, concurrency, timing, script);
    }

    /** A worker whose calls the trace names {@code name}. */
    private RecordWorker<Trace.Item> start(String name, String instance, WorkerConcurrency concurrency, WorkerTiming timing,
                                            Function<Trace.Item, Verdict> script) {
        KafkaSettings settings = new KafkaSettings(SharedKafka.bootstrapServers(), prefix, 3, (short) 1, instance);
        RecordWorker.Setup setup = new RecordWorker.Setup("Keyed test worker " + name, "keyed-" + name, STRIPE, topic,
                group, instance, prefix + "dead-letters", "keyed-worker", "keyed-dead-letters", LOG);
        RecordWorker<Trace.Item> worker = RecordWorker.start(settings, setup, trace.handler(name, script), timing, concurrency);
        workers.add(worker);
        return worker;
    }

    private void createTopics(int partitions) {
        SharedKafka.createTopics(partitions, topic, prefix + "dead-letters");
    }

    private static List<String> keys(String name, int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%s-%02d", name, i)).toList();
    }

    /** Produces {@code perKey} records of every key, round by round; returns them as the handlers will read them. */
    private List<Trace.Item> produce(List<String> keys, int perKey) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        List<Trace.Item> items = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<String[]> what = new ArrayList<>();
            for (int seq = 1; seq <= perKey; seq++) {
                for (String key : keys) {
                    sent.add(producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Trace.value(key, seq))));
                    what.add(new String[] {key, Integer.toString(seq)});
                }
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata metadata = sent.get(i).get(30, TimeUnit.SECONDS);
                items.add(new Trace.Item(what.get(i)[0], Integer.parseInt(what.get(i)[1]), metadata.partition(), metadata.offset()));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return items;
    }

    private Set<Trace.Item> distinctItems() {
        Set<Trace.Item> items = new HashSet<>();
        trace.calls().forEach(call -> items.add(call.item()));
        return items;
    }

    private long committedTotal() {
        return KafkaProbe.committed(group).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** Each worker handled every key's records in their order, each started only after the one before it ended. */
    private void assertEachKeyInOrderOneAtATime() {
        trace.byKey().forEach((key, calls) -> calls.stream().map(Trace.Call::worker).distinct().forEach(worker -> {
            List<Trace.Call> ofWorker = calls.stream().filter(call -> call.worker().equals(worker)).toList();
            assertThat(ofWorker.stream().map(call -> call.item().offset()).toList())
                    .as("offsets of %s in the order %s handled them", key, worker).isSorted();
            assertOneAtATime(key, ofWorker);
        }));
    }

    private static void assertOneAtATime(String key, List<Trace.Call> calls) {
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i).startedNanos()).as("%s: call %d started after call %d ended", key, i, i - 1)
                    .isGreaterThanOrEqualTo(calls.get(i - 1).endedNanos());
        }
    }

    /** A call of {@code minMillis} to {@code maxMillis}, as a Stripe call takes. */
    private static Verdict work(int minMillis, int maxMillis) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(minMillis, maxMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict.Defer(Duration.ofSeconds(1), "interrupted");
        }
        return Verdict.DONE;
    }

    /** Stands for a call that never answers; only an interrupt (from close) ends it. */
    private static Verdict blockUntilInterrupted(CountDownLatch started) {
        started.countDown();
        try {
            new CountDownLatch(1).await();
            throw new AssertionError("unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict.Defer(Duration.ofSeconds(1), "interrupted while waiting for the system");
        }
    }
}
