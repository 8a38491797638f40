package com.stripesync.kafka.worker;

import com.stripesync.application.sync.SyncChange;
import com.stripesync.application.sync.SyncOutcome;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.change.ChangeJson;
import com.stripesync.kafka.change.UndecodableChange;
import com.stripesync.kafka.topic.SyncTopics;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * Applies the changes topic to one external system: one polling thread, and the changes of different customers
 * concurrently on virtual threads ({@link WorkerConcurrency}, 64 in flight by default).
 *
 * <p>Workers of one system form the consumer group {@link SyncTopics#workerGroup}; each partition, and so
 * each customer, has one worker at a time, which applies that customer's changes one after the other, in
 * order. Membership is static ({@code group.instance.id = instanceId + "-" + system}): a restarted process gets
 * its partitions back at once, without a rebalance; one that stays away loses them after
 * {@code session.timeout.ms} (10 s).
 *
 * <p>The topics must exist ({@link com.stripesync.kafka.topic.KafkaTopicAdmin#ensureTopics}) before a worker
 * starts. Each change:
 * <ul>
 *   <li>a value that is not a change ({@link UndecodableChange}) is poison: it goes to the system's
 *       dead-letter topic unchanged, with the error in {@link DeadLetterHeaders}, and the worker moves on;</li>
 *   <li>otherwise {@link SyncChange#sync} decides: {@code Applied} and {@code Skipped} are done;
 *       {@code Rejected} goes to the dead-letter topic with its reason, then is done; {@code Deferred} is tried
 *       again after {@code retryAfter}, and the customer's later changes wait for it (other customers' go on);</li>
 *   <li>a sync that throws is tried again the same way, with a backoff from 1 s doubling up to 30 s, logged
 *       once per change (the exception's class and where it was thrown, never its message: it might hold
 *       a customer's name or email); after {@value RecordWorker#MAX_CONSECUTIVE_FAILURES} throws in a row the
 *       change goes to the dead-letter topic with the last error in {@link DeadLetterHeaders} (cause
 *       {@value DeadLetterHeaders#CAUSE_FAILED}) and the customer's later changes follow. {@code Deferred}
 *       never counts: it is retried for as long as the outage lasts.</li>
 * </ul>
 * A partition's offset is committed only up to its first change that is not done (a dead letter counts once
 * Kafka acknowledged it): every second, before partitions move to another worker, and on {@link #close()}. So
 * a crash or a rebalance loses nothing and repeats at most the changes not yet committed, which
 * {@link SyncChange} treats as already handled. {@code SyncChange} is called from many threads at once.
 * (The loop is the one {@link InboundWorker} runs too.)
 */
public final class ChangeWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChangeWorker.class.getName());

    private final SystemName system;
    private final RecordWorker<CustomerChange> worker;

    private ChangeWorker(SystemName system, RecordWorker<CustomerChange> worker) {
        this.system = system;
        this.worker = worker;
    }

    /**
     * Starts a worker applying the changes topic to {@code system} through {@code sync}. Returns at once; the
     * worker joins its group and reads in the background until {@link #close()}.
     */
    public static ChangeWorker start(KafkaSettings settings, SystemName system, SyncChange sync) {
        return start(settings, system, sync, WorkerConcurrency.DEFAULT);
    }

    /** As {@link #start(KafkaSettings, SystemName, SyncChange)}, with up to {@code concurrency} changes in flight. */
    public static ChangeWorker start(KafkaSettings settings, SystemName system, SyncChange sync, WorkerConcurrency concurrency) {
        return start(settings, system, sync, WorkerTiming.STANDARD, concurrency);
    }

    static ChangeWorker start(KafkaSettings settings, SystemName system, SyncChange sync, WorkerTiming timing,
                              WorkerConcurrency concurrency) {
        return new ChangeWorker(system, RecordWorker.start(settings, setup(settings, system), new Syncing(system, sync),
                timing, concurrency));
    }

    /** With clients made elsewhere (tests pass kafka-clients' mocks); the worker owns and closes them. */
    static ChangeWorker start(KafkaSettings settings, SystemName system, SyncChange sync, WorkerTiming timing,
                              WorkerConcurrency concurrency, Consumer<byte[], byte[]> consumer,
                              Producer<byte[], byte[]> deadLetterProducer) {
        return new ChangeWorker(system, RecordWorker.start(setup(settings, system), new Syncing(system, sync), timing,
                concurrency, consumer, deadLetterProducer));
    }

    private static RecordWorker.Setup setup(KafkaSettings settings, SystemName system) {
        SyncTopics topics = SyncTopics.of(settings);
        return new RecordWorker.Setup("Change worker for " + system, "change-worker-" + system, system,
                topics.changes(), topics.workerGroup(system), settings.instanceId() + "-" + system.value(),
                topics.deadLetter(system), "worker-" + system.value(), "dead-letters-" + system.value(), LOG);
    }

    public SystemName system() {
        return system;
    }

    /** False once the worker stopped: closed, fenced by another process with its instance id, or failed. */
    public boolean isRunning() {
        return worker.isRunning();
    }

    /** The most changes this worker ever had in flight at once. */
    int peakInFlight() {
        return worker.peakInFlight();
    }

    /**
     * Stops the worker: stops polling, drops the changes not started, lets running syncs finish for up to 10 s
     * (then interrupts them), commits the offsets of the changes done, and closes the consumer and the producer,
     * within about 30 s in all.
     * A static member stays in its group after closing, so a restart with the same instance id gets the
     * same partitions back at once.
     */
    @Override
    public void close() {
        worker.close();
    }

    /** A change record is {@link ChangeJson}; its outcome is what {@link SyncChange} recorded. */
    private record Syncing(SystemName system, SyncChange sync) implements RecordHandler<CustomerChange> {

        Syncing {
            Objects.requireNonNull(sync, "sync");
        }

        @Override
        public CustomerChange decode(ConsumerRecord<byte[], byte[]> record) {
            return ChangeJson.decode(record.value());
        }

        @Override
        public String describe(CustomerChange change) {
            return "change " + change.id() + " for " + system;
        }

        @Override
        public Verdict handle(CustomerChange change) {
            SyncOutcome outcome = sync.sync(change);
            return switch (outcome) {
                case null -> throw new IllegalStateException(sync.getClass().getName() + " returned no outcome");
                case SyncOutcome.Applied applied -> Verdict.DONE;
                case SyncOutcome.Skipped skipped -> Verdict.DONE;
                case SyncOutcome.Rejected rejected ->
                        new Verdict.DeadLetter(rejected.reason(), Map.of(DeadLetterHeaders.CHANGE_ID, change.id().toString()));
                case SyncOutcome.Deferred deferred -> new Verdict.Defer(deferred.retryAfter(), String.valueOf(deferred.reason()));
            };
        }
    }
}
