package com.stripesync.kafka.worker;

import com.stripesync.application.inbound.HandleInboundEvent;
import com.stripesync.application.inbound.InboundOutcome;
import com.stripesync.domain.inbound.UnreadableEvent;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.inbound.InboundRecords;
import com.stripesync.kafka.topic.SyncTopics;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;

/**
 * Applies one system's queued webhook events ({@link SyncTopics#inbound}) to the catalog through
 * {@link HandleInboundEvent}, with the consumer loop of {@link ChangeWorker}: one polling thread, and the events
 * of different customers concurrently ({@link WorkerConcurrency}, 64 in flight by default).
 *
 * <p>Workers of one system form the consumer group {@link SyncTopics#inboundGroup}; a partition, and so each
 * external customer, has one worker at a time, which hands it that customer's events one after the other, in
 * the order they were accepted (events about no customer are keyed by their own id, so they do not wait for
 * each other). Membership is static ({@code group.instance.id = instanceId + "-inbound-" + system}).
 *
 * <p>The topics must exist ({@link com.stripesync.kafka.topic.KafkaTopicAdmin#ensureTopics}) before a worker
 * starts. Each record, with its exact payload:
 * <ul>
 *   <li>{@code Applied}, {@code Ignored} and {@code Conflict} are done;</li>
 *   <li>{@code Rejected} (an event that can never be applied) goes to the inbound dead-letter topic
 *       ({@link SyncTopics#inboundDeadLetter}) unchanged, its event id and type headers kept, with the reason
 *       in {@link DeadLetterHeaders}, then is done; so is a record without a value;</li>
 *   <li>{@code Deferred} is tried again after {@code retryAfter}: the customer's later events wait for it,
 *       other customers' go on;</li>
 *   <li>a handler that throws is retried the same way, with a backoff from 1 s doubling up to 30 s; after
 *       {@value RecordWorker#MAX_CONSECUTIVE_FAILURES} throws in a row the event goes to the inbound dead-letter
 *       topic with the last error in {@link DeadLetterHeaders} (cause {@value DeadLetterHeaders#CAUSE_FAILED}),
 *       and the customer's later events follow. {@code Deferred} (the catalog or the system unavailable) never
 *       counts: it is retried for as long as the outage lasts.</li>
 * </ul>
 * A partition's offset is committed only up to its first event that is not done. A crash or a rebalance
 * repeats the events not yet committed, and a sender may deliver an event twice: every one is passed to the
 * handler, whose ledger applies each event once. The handler is called from many threads at once. Log lines
 * name an event by its id, never by its payload (personal data).
 */
public final class InboundWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InboundWorker.class.getName());
    /**
     * A fetch waits for about 170 events of 1.5 kB, or 100 ms: a trickle of webhooks is applied in batches too (a
     * handler that batches gets more at once), for at most 100 ms more delay. A burst fills it at once.
     */
    static final int FETCH_MIN_BYTES = 256 * 1024;

    private final SystemName system;
    private final RecordWorker<QueuedEvent> worker;

    private InboundWorker(SystemName system, RecordWorker<QueuedEvent> worker) {
        this.system = system;
        this.worker = worker;
    }

    /**
     * Starts a worker applying {@code system}'s queued events through {@code handler}. Returns at once; the
     * worker joins its group and reads in the background until {@link #close()}.
     */
    public static InboundWorker start(KafkaSettings settings, SystemName system, HandleInboundEvent handler) {
        return start(settings, system, handler, WorkerConcurrency.DEFAULT);
    }

    /** As {@link #start(KafkaSettings, SystemName, HandleInboundEvent)}, with up to {@code concurrency} events in flight. */
    public static InboundWorker start(KafkaSettings settings, SystemName system, HandleInboundEvent handler,
                                      WorkerConcurrency concurrency) {
        return start(settings, system, handler, WorkerTiming.STANDARD, concurrency);
    }

    static InboundWorker start(KafkaSettings settings, SystemName system, HandleInboundEvent handler, WorkerTiming timing,
                               WorkerConcurrency concurrency) {
        return new InboundWorker(system, RecordWorker.start(settings, setup(settings, system), new Applying(system, handler),
                timing, concurrency));
    }

    /** With clients made elsewhere (tests pass kafka-clients' mocks); the worker owns and closes them. */
    static InboundWorker start(KafkaSettings settings, SystemName system, HandleInboundEvent handler, WorkerTiming timing,
                               WorkerConcurrency concurrency, Consumer<byte[], byte[]> consumer,
                               Producer<byte[], byte[]> deadLetterProducer) {
        return new InboundWorker(system, RecordWorker.start(setup(settings, system), new Applying(system, handler), timing,
                concurrency, consumer, deadLetterProducer));
    }

    private static RecordWorker.Setup setup(KafkaSettings settings, SystemName system) {
        SyncTopics topics = SyncTopics.of(settings);
        return new RecordWorker.Setup("Inbound worker for " + system, "inbound-worker-" + system, system,
                topics.inbound(system), topics.inboundGroup(system), instanceId(settings, system),
                topics.inboundDeadLetter(system), "inbound-worker-" + system.value(),
                "inbound-dead-letters-" + system.value(), LOG, FETCH_MIN_BYTES);
    }

    /** {@code <instanceId>-inbound-<system>}: apart from the same process's change worker for that system. */
    private static String instanceId(KafkaSettings settings, SystemName system) {
        return settings.instanceId() + "-inbound-" + system.value();
    }

    public SystemName system() {
        return system;
    }

    /** False once the worker stopped: closed, fenced by another process with its instance id, or failed. */
    public boolean isRunning() {
        return worker.isRunning();
    }

    /**
     * Stops the worker: stops polling, drops the events not started, lets running handlers finish for up to
     * 10 s (then interrupts them), commits the offsets of the events done, and closes its clients, within about
     * 30 s in all. A restart with the same instance id
     * gets the same partitions back at once.
     */
    @Override
    public void close() {
        worker.close();
    }

    /**
     * A queued event as the worker sees it.
     *
     * @param id      the event id header, if the record has one (it names the event in logs)
     * @param payload the exact bytes that were verified
     */
    record QueuedEvent(@Nullable String id, byte[] payload) {
    }

    private record Applying(SystemName system, HandleInboundEvent handler) implements RecordHandler<QueuedEvent> {

        Applying {
            Objects.requireNonNull(handler, "handler");
        }

        @Override
        public QueuedEvent decode(ConsumerRecord<byte[], byte[]> record) {
            if (record.value() == null) {
                throw new UnreadableEvent("the record has no value");
            }
            return new QueuedEvent(InboundRecords.eventId(record.headers()), record.value());
        }

        @Override
        public String describe(QueuedEvent event) {
            return (event.id() == null ? "an event without id" : "event " + event.id()) + " from " + system;
        }

        @Override
        public Verdict handle(QueuedEvent event) {
            InboundOutcome outcome = handler.handle(event.payload());
            return switch (outcome) {
                case null -> throw new IllegalStateException(handler.getClass().getName() + " returned no outcome");
                case InboundOutcome.Applied applied -> Verdict.DONE;
                case InboundOutcome.Ignored ignored -> Verdict.DONE;
                case InboundOutcome.Conflict conflict -> {
                    // What clashed may name an email: the link holds it, the log does not.
                    LOG.log(Level.INFO, () -> "Inbound worker for " + system + ": " + describe(event) + " recorded as a conflict on its link");
                    yield Verdict.DONE;
                }
                case InboundOutcome.Rejected rejected ->
                        new Verdict.DeadLetter(Objects.requireNonNullElse(rejected.reason(), "rejected"), Map.of());
                case InboundOutcome.Deferred deferred ->
                        new Verdict.Defer(deferred.retryAfter(), String.valueOf(deferred.reason()));
            };
        }
    }
}
