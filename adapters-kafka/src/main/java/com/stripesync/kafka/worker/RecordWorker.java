package com.stripesync.kafka.worker;

import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.ClientConfigs;
import com.stripesync.kafka.KafkaSettings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * The consumer loop every worker shares: reads one topic in a consumer group and hands each record to a
 * {@link RecordHandler}, records of one key (one customer) one after the other in offset order, records of
 * different keys concurrently.
 *
 * <p>One thread polls; it puts each record in the FIFO lane of its partition and key ({@link Lanes}: records
 * without a key share one lane per partition), and each lane runs on a virtual thread of its own, starting a
 * record only once the one before it is done. At most {@link WorkerConcurrency#maxInFlight} records are in the
 * lanes at once; while they are, every partition is paused and the thread keeps polling (the group sees it
 * alive) until a record is done. With 1 the worker handles one record at a time in the order polled. A
 * partition also pauses when it runs {@value #MAX_AHEAD} records ahead of its oldest record not done.
 *
 * <p>Membership is static ({@code group.instance.id}): a restarted process gets its partitions back at once,
 * without a rebalance; one that stays away loses them after {@code session.timeout.ms} (10 s). Each record:
 * <ul>
 *   <li>one that cannot be decoded is poison: it goes to the dead-letter topic unchanged, with the error in
 *       {@link DeadLetterHeaders}, and its lane moves on;</li>
 *   <li>{@link Verdict.Done} moves on; {@link Verdict.DeadLetter} puts the record in the dead-letter topic with
 *       its reason, then moves on; {@link Verdict.Defer} keeps the record at the head of its lane and tries it
 *       again after the delay: later records of its key wait, other keys go on;</li>
 *   <li>a handler that throws is tried again the same way, with a backoff from 1 s doubling up to 30 s, logged
 *       once per record (the exception's class and where it was thrown, never its message: it might hold a
 *       customer's name or email). After {@value #MAX_CONSECUTIVE_FAILURES} throws in a row (about two and a half
 *       minutes) the record is poison too: it goes to the dead-letter topic with the last error in
 *       {@link DeadLetterHeaders} ({@value DeadLetterHeaders#CAUSE_FAILED}), and its lane moves on. Only throws
 *       count: a deferral (an outage the handler recognised) is retried without limit and starts the count
 *       afresh. A dead letter Kafka did not acknowledge is tried again with the same backoff, without limit.</li>
 * </ul>
 * A record waiting to be tried again keeps its place in the window: when many wait (an outage), the worker
 * stops fetching instead of reading the topic into memory.
 *
 * <p>Each partition commits only up to its first record that is not done ({@link OffsetTracker}), and a record
 * with a dead letter is done once Kafka acknowledged the letter: every second, before partitions move to
 * another worker, and on {@link #close()}. A partition that moves drops its queued records, lets its running
 * ones finish (for up to the revocation grace, then interrupts them) and commits; so does {@code close()}, for
 * up to the sync grace. So a crash or a rebalance loses nothing and repeats at most the records not done, or
 * done after one that was not, since the last commit: handlers must treat a record they handled before as done.
 *
 * @param <T> a record as the handler reads it
 */
final class RecordWorker<T> implements AutoCloseable {

    /** How long a silent member keeps its partitions: enough for a restart, short enough for a dead worker's share to move on. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** Members learn of a rebalance at their next heartbeat; a cooperative one takes two rounds. 3 s by default. */
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** A fetch waits this long for new records; also the extra delay of a partition resumed after a full window. */
    private static final Duration FETCH_MAX_WAIT = Duration.ofMillis(100);
    /** One poll returns at most a full window, and never more than Kafka's default. */
    private static final int MAX_POLL_RECORDS = 500;
    /** While the window is full the thread polls this often (for the group), and at once when a record is done. */
    private static final Duration FULL_WINDOW_POLL_INTERVAL = Duration.ofMillis(100);
    /**
     * How far a partition may run ahead of its oldest record not done (which holds its commits): past this many
     * received records it stops fetching until that record is done. Bounds the memory a stuck record costs, and
     * what a rebalance repeats.
     */
    static final int MAX_AHEAD = 1_000;
    /** A longer wait asked for is cut to this; the record is then tried (and maybe deferred) again. */
    static final Duration MAX_DEFERRAL = Duration.ofHours(1);
    /**
     * How many times in a row a handler may throw on one record before the record goes to the dead-letter topic
     * and its lane moves on: with the standard backoff the last try comes about 150 s after the first. A handler
     * that throws has a bug or meets data it cannot handle; without a limit the record would hold back its key's
     * later records and its partition's commits for good. Outages are deferrals, never counted.
     */
    static final int MAX_CONSECUTIVE_FAILURES = 10;

    /**
     * Who a worker is, and where it reads and writes.
     *
     * @param name            how log lines name the worker ({@code "Change worker for stripe"})
     * @param threadName      the name of its polling thread, and the prefix of its lanes' threads
     * @param system          the system it works for, named in the dead-letter headers
     * @param topic           what it reads
     * @param group           the consumer group it reads in
     * @param instance        its static membership ({@code group.instance.id}), unique per process and group
     * @param deadLetterTopic where records it gives up on go
     * @param consumerRole    the consumer's {@link ClientConfigs#clientId client id} role
     * @param producerRole    the dead-letter producer's client id role
     * @param log             where it logs (the logger of the worker kind, so operators configure them apart)
     * @param fetchMinBytes   how much a fetch waits for (up to {@link #FETCH_MAX_WAIT}) before it answers: 1 answers
     *                        at once; more gathers the records of a trickle into fewer, larger polls
     */
    record Setup(String name, String threadName, SystemName system, String topic, String group, String instance,
                 String deadLetterTopic, String consumerRole, String producerRole, System.Logger log, int fetchMinBytes) {

        /** A worker whose fetches answer at once. */
        Setup(String name, String threadName, SystemName system, String topic, String group, String instance,
              String deadLetterTopic, String consumerRole, String producerRole, System.Logger log) {
            this(name, threadName, system, topic, group, instance, deadLetterTopic, consumerRole, producerRole, log, 1);
        }
    }

    private final Setup setup;
    private final System.Logger log;
    private final RecordHandler<T> handler;
    private final Consumer<byte[], byte[]> consumer;
    private final DeadLetters deadLetters;
    private final WorkerTiming timing;
    private final WorkerConcurrency concurrency;
    private final Lanes lanes;
    /** Polled records waiting for room in the window, in the order polled. Poll thread only. */
    private final Deque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    private final Thread thread;
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private long lastCommitNanos = System.nanoTime();
    private int pollFailures;

    private RecordWorker(Setup setup, RecordHandler<T> handler, Consumer<byte[], byte[]> consumer,
                         DeadLetters deadLetters, WorkerTiming timing, WorkerConcurrency concurrency) {
        this.setup = setup;
        this.log = setup.log();
        this.handler = handler;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.timing = timing;
        this.concurrency = concurrency;
        this.lanes = new Lanes(concurrency.maxInFlight(), Thread.ofVirtual().name(setup.threadName() + "-lane-", 0).factory(),
                this::handleInLane);
        // Daemon: close() is how a worker stops; one that close() had to give up on must not hold the JVM.
        this.thread = Thread.ofPlatform().name(setup.threadName()).daemon(true).unstarted(this::run);
    }

    /**
     * Starts a worker with clients of its own. Returns at once; the worker joins its group and reads in the
     * background until {@link #close()}. The topics must exist.
     */
    static <T> RecordWorker<T> start(KafkaSettings settings, Setup setup, RecordHandler<T> handler, WorkerTiming timing,
                                     WorkerConcurrency concurrency) {
        Objects.requireNonNull(handler, "handler");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(settings, setup, concurrency));
        Producer<byte[], byte[]> deadLetterProducer;
        try {
            deadLetterProducer = new KafkaProducer<>(ClientConfigs.reliableProducer(settings, setup.producerRole()));
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        return start(setup, handler, timing, concurrency, consumer, deadLetterProducer);
    }

    /** With clients made elsewhere (tests pass kafka-clients' mocks); the worker owns and closes them. */
    static <T> RecordWorker<T> start(Setup setup, RecordHandler<T> handler, WorkerTiming timing, WorkerConcurrency concurrency,
                                     Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetterProducer) {
        DeadLetters deadLetters = new DeadLetters(deadLetterProducer, setup.deadLetterTopic(),
                ClientConfigs.MAX_BLOCK.plus(ClientConfigs.DELIVERY_TIMEOUT));
        RecordWorker<T> worker = new RecordWorker<>(setup, handler, consumer, deadLetters, timing,
                Objects.requireNonNull(concurrency, "concurrency"));
        worker.thread.start();
        return worker;
    }

    private static Map<String, Object> consumerConfig(KafkaSettings settings, Setup setup, WorkerConcurrency concurrency) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, ClientConfigs.clientId(settings, setup.consumerRole()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, setup.group());
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, setup.instance());
        // Static membership and the session timeout below are client settings under the classic protocol.
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) HEARTBEAT_INTERVAL.toMillis());
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) WorkerTiming.MAX_POLL_INTERVAL.toMillis());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords(concurrency));
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_MAX_WAIT.toMillis());
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, setup.fetchMinBytes());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ClientConfigs.REQUEST_TIMEOUT.toMillis());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /**
     * The consumer's {@code max.poll.records}: one poll returns at most a full window, and never more than Kafka's
     * default. Also bounds how far past {@value #MAX_AHEAD} a partition gets before its pause takes effect.
     */
    static int maxPollRecords(WorkerConcurrency concurrency) {
        return Math.min(concurrency.maxInFlight(), MAX_POLL_RECORDS);
    }

    /** False once the worker stopped: closed, fenced by another process with its instance id, or failed. */
    boolean isRunning() {
        return thread.isAlive() && !stopRequested;
    }

    /** The most records this worker ever had in flight at once. */
    int peakInFlight() {
        return lanes.peakInFlight();
    }

    /**
     * Stops the worker: stops polling, drops the records not started, lets running handlers finish for up to the
     * sync grace (10 s; then interrupts them), commits the offsets of the records done, and closes the consumer
     * and the producer, within about 30 s in all. A static member stays in its group after closing, so a
     * restart with the same instance id gets the same partitions back at once.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        requestStop();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(timing.syncGrace().plus(timing.shutdownTimeout().multipliedBy(4)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.log(Level.WARNING, setup.name() + " did not stop in time; leaving its thread behind");
        }
    }

    private void requestStop() {
        stopRequested = true;
        stopSignal.countDown();
        consumer.wakeup();
    }

    private void run() {
        log.log(Level.INFO, setup.name() + " started: reading " + setup.topic() + " in group " + setup.group()
                + " as " + setup.instance() + ", up to " + concurrency.maxInFlight() + " records in flight");
        boolean fenced = false;
        try {
            consumer.subscribe(List.of(setup.topic()), new Rebalancing());
            while (!stopRequested) {
                try {
                    boolean full = !dispatchWaiting();
                    holdBack(full);
                    if (full) {
                        lanes.awaitRoom(FULL_WINDOW_POLL_INTERVAL);
                    }
                    receive(consumer.poll(full ? Duration.ZERO : timing.pollTimeout()));
                    if (System.nanoTime() - lastCommitNanos >= timing.commitInterval().toNanos()) {
                        commitDone(consumer.assignment(), timing.commitTimeout());
                    }
                    pollFailures = 0;
                } catch (WakeupException | InterruptException stop) {
                    break;
                } catch (FencedInstanceIdException e) {
                    fenced = true;
                    log.log(Level.WARNING, setup.name() + ": another process joined group " + setup.group()
                            + " as " + setup.instance() + "; this one stops without committing (instance ids must be unique)");
                    break;
                } catch (KafkaException e) {
                    backOffAfterPollFailure(e);
                }
            }
        } catch (RuntimeException e) {
            log.log(Level.ERROR, setup.name() + " stopped by an unexpected failure", e);
        } finally {
            stopRequested = true;
            shutDown(fenced);
        }
    }

    /** Moves waiting records into their lanes while there is room; returns whether room is left. */
    private boolean dispatchWaiting() {
        while (lanes.hasRoom()) {
            ConsumerRecord<byte[], byte[]> next = waiting.pollFirst();
            if (next == null) {
                return true;
            }
            lanes.dispatch(next);
        }
        return false;
    }

    /**
     * Pauses every partition while the window is full, and otherwise those too far ahead of a record not done;
     * resumes the others.
     */
    private void holdBack(boolean full) {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> held = full ? assigned : lanes.crowded(assigned, MAX_AHEAD);
        Set<TopicPartition> free = new HashSet<>(consumer.paused());
        free.removeAll(held);
        if (!held.isEmpty()) {
            consumer.pause(held);
        }
        if (!free.isEmpty()) {
            consumer.resume(free);
        }
    }

    private void receive(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (lanes.receive(record)) {
                waiting.addLast(record);
            } else {
                log.log(Level.DEBUG, () -> setup.name() + " got " + record.topic() + "-" + record.partition() + "@"
                        + record.offset() + " again; it is handled once");
            }
        }
    }

    /**
     * A lane's work on one record: handles it until it is done, trying it again after each deferral or failure.
     * Gives it up when its partition leaves or the worker stops.
     */
    private boolean handleInLane(ConsumerRecord<byte[], byte[]> record, Lanes.Partition partition) {
        try {
            Failures failures = new Failures();
            while (!stopRequested && !partition.isReleased()) {
                Duration retryAfter = handle(record, partition, failures);
                if (retryAfter == null) {
                    return true;
                }
                if (!partition.awaitRetry(retryAfter)) {
                    return false;
                }
            }
            return false;
        } catch (RuntimeException | Error e) {
            // A bug of ours, or the JVM's trouble: stop, rather than let later records of the key overtake this one.
            log.log(Level.ERROR, setup.name() + " stopped by an unexpected failure in a lane", e);
            requestStop();
            return false;
        }
    }

    /** One record's failures so far: its handler's throws in a row, and dead letters not written (each for a backoff). */
    private static final class Failures {
        private int handlerThrows;
        private int deadLetterWrites;

        int nextHandlerThrow() {
            return ++handlerThrows;
        }

        /** The handler ran and deferred the record: its throws are no longer in a row. */
        void handlerAnswered() {
            handlerThrows = 0;
        }

        int nextDeadLetterWrite() {
            return ++deadLetterWrites;
        }
    }

    /** Handles one record once; returns {@code null} when it is done, else how long to wait before trying it again. */
    private @Nullable Duration handle(ConsumerRecord<byte[], byte[]> record, Lanes.Partition partition, Failures failures) {
        T value;
        try {
            value = handler.decode(record);
        } catch (RuntimeException e) {
            return deadLetter(record, DeadLetterHeaders.undecodable(record, setup.system().value(), e),
                    "an undecodable record (" + e.getClass().getSimpleName() + ")", failures);
        }
        String what = describe(value, record);
        Verdict verdict;
        try {
            verdict = handler.handle(value);
            if (verdict == null) {
                throw new IllegalStateException(handler.getClass().getName() + " returned no verdict");
            }
        } catch (Exception e) {
            return failedUnexpectedly(record, partition, what, e, failures);
        }
        return switch (verdict) {
            case Verdict.Done done -> null;
            // The reason may quote the refused values: it goes to the header, not to the log.
            case Verdict.DeadLetter letter -> deadLetter(record,
                    DeadLetterHeaders.rejected(record, setup.system().value(), letter.details(), letter.reason()),
                    what + " (rejected)", failures);
            case Verdict.Defer defer -> {
                failures.handlerAnswered();
                Duration retryAfter = defer.delay().isNegative() ? Duration.ZERO
                        : defer.delay().compareTo(MAX_DEFERRAL) > 0 ? MAX_DEFERRAL : defer.delay();
                log.log(Level.INFO, capitalized(what) + " deferred for " + retryAfter.toMillis() + " ms: " + defer.reason());
                yield retryAfter;
            }
        };
    }

    private @Nullable Duration deadLetter(ConsumerRecord<byte[], byte[]> record, List<Header> headers, String what,
                                          Failures failures) {
        try {
            deadLetters.send(record, headers);
        } catch (DeadLetters.DeadLetterNotWritten e) {
            int failed = failures.nextDeadLetterWrite();
            Duration backoff = timing.backoffAfter(failed);
            if (failed == 1) {
                log.log(Level.WARNING, "Could not put " + what + " from " + position(record) + " in " + deadLetters.topic()
                        + " (" + e.getMessage() + "); trying again in " + backoff.toMillis() + " ms");
            }
            return backoff;
        }
        log.log(Level.WARNING, "Put " + what + " from " + position(record) + " in " + deadLetters.topic());
        return null;
    }

    /**
     * The handler threw: the record is tried again with backoff, or, from the {@value #MAX_CONSECUTIVE_FAILURES}th
     * throw in a row on, put in the dead-letter topic with the error.
     */
    private @Nullable Duration failedUnexpectedly(ConsumerRecord<byte[], byte[]> record, Lanes.Partition partition,
                                                  String what, Exception e, Failures failures) {
        int failed = failures.nextHandlerThrow();
        // A throw while the worker stops or the partition leaves may be the interruption's: the next owner decides.
        if (failed >= MAX_CONSECUTIVE_FAILURES && !stopRequested && !partition.isReleased()) {
            return deadLetter(record, DeadLetterHeaders.failed(record, setup.system().value(), e, failed),
                    what + " (its handler failed " + failed + " times in a row, last with " + e.getClass().getName() + ")",
                    failures);
        }
        Duration backoff = timing.backoffAfter(failed);
        if (failed == 1 && !stopRequested) {
            StackTraceElement[] where = e.getStackTrace();
            log.log(Level.WARNING, capitalized(what) + " failed unexpectedly: " + e.getClass().getName()
                    + (where.length > 0 ? " at " + where[0] : "") + "; trying it again with backoff from "
                    + backoff.toMillis() + " ms, up to " + MAX_CONSECUTIVE_FAILURES + " times in a row before it goes to "
                    + deadLetters.topic() + " (further failures of this record are not logged)");
        }
        return backoff;
    }

    /** The record's name for log lines; its position when the handler cannot name it. */
    private String describe(T value, ConsumerRecord<?, ?> record) {
        try {
            return handler.describe(value);
        } catch (RuntimeException e) {
            return "the record at " + position(record);
        }
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private void backOffAfterPollFailure(KafkaException e) {
        pollFailures++;
        Duration backoff = timing.backoffAfter(pollFailures);
        if (pollFailures == 1) {
            log.log(Level.WARNING, setup.name() + " cannot read " + setup.topic() + " (" + e
                    + "); trying again with backoff from " + backoff.toMillis() + " ms");
        }
        try {
            stopSignal.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            stopRequested = true;
        }
    }

    /**
     * Commits, for those {@code partitions} that moved on, the offset after their done prefix. Returns normally
     * when the commit did not go through (to be tried again later), except for the failures that stop the worker.
     */
    private void commitDone(Collection<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> offsets = lanes.committable(partitions);
        lastCommitNanos = System.nanoTime();
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, timeout);
            lanes.committed(offsets);
        } catch (WakeupException | InterruptException | FencedInstanceIdException stop) {
            throw stop;
        } catch (RebalanceInProgressException e) {
            log.log(Level.DEBUG, () -> setup.name() + " commits " + offsets.keySet() + " after the rebalance in progress");
        } catch (CommitFailedException e) {
            // The group moved these partitions on without us; the next poll tells which, and their new owner
            // repeats what we did since the last commit.
            log.log(Level.WARNING, setup.name() + " lost partitions " + offsets.keySet()
                    + " before it could commit; records done since the last commit will be handled again: " + e.getMessage());
        } catch (KafkaException e) {
            log.log(Level.WARNING, setup.name() + " could not commit " + offsets.keySet() + " (" + e + "); trying again later");
        }
    }

    /** Commits once more if a wakeup from {@link #close()} was still pending and used up the first try. */
    private void commitDoneDespiteWakeup(Collection<TopicPartition> partitions, Duration timeout) {
        try {
            commitDone(partitions, timeout);
        } catch (WakeupException pendingWakeup) {
            commitDone(partitions, timeout);
        }
    }

    /**
     * Ends the work of released partitions: waits for their running records for up to {@code grace}, then
     * interrupts them and waits a little more. Records still running after that are not committed.
     */
    private void settle(Collection<TopicPartition> partitions, Duration grace, String occasion) {
        if (lanes.awaitIdle(partitions, grace)) {
            return;
        }
        log.log(Level.WARNING, setup.name() + " is still handling records of " + partitions + " " + grace.toMillis()
                + " ms after " + occasion + "; interrupting them");
        lanes.interrupt(partitions);
        if (!lanes.awaitIdle(partitions, timing.shutdownTimeout())) {
            log.log(Level.WARNING, setup.name() + " leaves records of " + partitions + " running; they are not committed"
                    + " and will be handled again");
        }
    }

    private void shutDown(boolean fenced) {
        Thread.interrupted();
        try {
            waiting.clear();
            Set<TopicPartition> partitions = lanes.partitions();
            lanes.release(partitions);
            settle(partitions, timing.syncGrace(), "it was asked to stop");
            if (!fenced) {
                commitDoneDespiteWakeup(consumer.assignment(), timing.shutdownTimeout());
            }
        } catch (RuntimeException e) {
            log.log(Level.WARNING, setup.name() + " could not commit its last offsets (" + e
                    + "); those records will be handled again");
        } finally {
            try {
                consumer.close(CloseOptions.timeout(timing.shutdownTimeout()));
            } catch (RuntimeException e) {
                log.log(Level.WARNING, setup.name() + ": closing the consumer failed: " + e);
            }
            try {
                deadLetters.close();
            } catch (RuntimeException e) {
                log.log(Level.WARNING, setup.name() + ": closing the dead-letter producer failed: " + e);
            }
            log.log(Level.INFO, setup.name() + " (" + setup.instance() + ") stopped");
        }
    }

    /**
     * Partitions that move to another worker first finish their running records and commit what is done;
     * records they had not started are dropped (the next owner reads them from the committed offset).
     */
    private final class Rebalancing implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            Set<TopicPartition> partitions = Set.copyOf(revoked);
            waiting.removeIf(record -> partitions.contains(Lanes.partitionOf(record)));
            lanes.release(partitions);
            try {
                settle(partitions, timing.revocationGrace(), "their revocation");
                commitDoneDespiteWakeup(partitions, timing.commitTimeout());
            } catch (RuntimeException e) {
                log.log(Level.WARNING, setup.name() + " could not commit revoked partitions " + partitions
                        + " (" + e + "); their new owner repeats the records done since the last commit");
            } finally {
                lanes.forget(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            if (lost.isEmpty()) {
                return;
            }
            Set<TopicPartition> partitions = Set.copyOf(lost);
            log.log(Level.WARNING, setup.name() + " lost partitions " + partitions
                    + "; records done since the last commit will be handled again");
            waiting.removeIf(record -> partitions.contains(Lanes.partitionOf(record)));
            lanes.release(partitions);
            lanes.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.log(Level.INFO, setup.name() + " assigned " + partitions);
            }
        }
    }
}
