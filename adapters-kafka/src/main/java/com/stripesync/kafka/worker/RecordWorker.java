package com.stripesync.kafka.worker;

import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.ClientConfigs;
import com.stripesync.kafka.KafkaSettings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * The consumer loop every worker shares: reads one topic in a consumer group, on one thread of its own,
 * and hands each record to a {@link RecordHandler}, partition by partition in offset order.
 *
 * <p>Membership is static ({@code group.instance.id}): a restarted process gets its partitions back at once,
 * without a rebalance; one that stays away loses them after {@code session.timeout.ms} (45 s). Each record:
 * <ul>
 *   <li>one that cannot be decoded is poison: it goes to the dead-letter topic unchanged, with the error in
 *       {@link DeadLetterHeaders}, and the worker moves on;</li>
 *   <li>{@link Verdict.Done} moves on; {@link Verdict.DeadLetter} puts the record in the dead-letter topic with
 *       its reason, then moves on; {@link Verdict.Defer} puts the partition back to this record and pauses it
 *       until the delay has passed (nothing later in the partition overtakes it; other partitions go on, and
 *       polling keeps the membership alive);</li>
 *   <li>a handler that throws is deferred the same way, with a backoff from 1 s doubling up to 30 s, logged
 *       once per record (the exception's class and where it was thrown, never its message: it might hold a
 *       customer's name or email). So is a dead letter Kafka did not acknowledge.</li>
 * </ul>
 * Offsets are committed only for records that are done, after they are done and after their dead letter is
 * acknowledged: at least after each poll's records, every second while a batch runs, before partitions move
 * to another worker, and on {@link #close()}. So a crash or a rebalance loses nothing and repeats at most the
 * records done since the last commit: handlers must treat a record they handled before as done.
 *
 * @param <T> a record as the handler reads it
 */
final class RecordWorker<T> implements AutoCloseable {

    /**
     * Few records per poll: a poll from the buffer is cheap, and a rebalance waits for every member's next
     * poll, so a long batch of slow records would hold up the whole group.
     */
    private static final int MAX_POLL_RECORDS = 20;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);
    /** Members learn of a rebalance at their next heartbeat; a cooperative one takes two rounds. 3 s by default. */
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /**
     * A fetch waits this long for new records. A partition resumed after a deferral (or rewound) is fetched
     * only after the fetch in flight returns, so this is also its extra delay; 500 ms by default.
     */
    private static final Duration FETCH_MAX_WAIT = Duration.ofMillis(100);
    /** A longer wait asked for is cut to this; the record is then tried (and maybe deferred) again. */
    static final Duration MAX_DEFERRAL = Duration.ofHours(1);

    /**
     * Who a worker is, and where it reads and writes.
     *
     * @param name            how log lines name the worker ({@code "Change worker for stripe"})
     * @param threadName      the name of its thread
     * @param system          the system it works for, named in the dead-letter headers
     * @param topic           what it reads
     * @param group           the consumer group it reads in
     * @param instance        its static membership ({@code group.instance.id}), unique per process and group
     * @param deadLetterTopic where records it gives up on go
     * @param consumerRole    the consumer's {@link ClientConfigs#clientId client id} role
     * @param producerRole    the dead-letter producer's client id role
     * @param log             where it logs (the logger of the worker kind, so operators configure them apart)
     */
    record Setup(String name, String threadName, SystemName system, String topic, String group, String instance,
                 String deadLetterTopic, String consumerRole, String producerRole, System.Logger log) {
    }

    private final Setup setup;
    private final System.Logger log;
    private final RecordHandler<T> handler;
    private final Consumer<byte[], byte[]> consumer;
    private final DeadLetters deadLetters;
    private final WorkerTiming timing;
    private final Progress progress = new Progress();
    private final Thread thread;
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** Guards {@link #inHandler}, so that close() interrupts a running handler and nothing else. */
    private final Object interruptLock = new Object();
    private volatile boolean stopRequested;
    private boolean inHandler;
    private long lastCommitNanos = System.nanoTime();
    private int pollFailures;

    private RecordWorker(Setup setup, RecordHandler<T> handler, Consumer<byte[], byte[]> consumer,
                         DeadLetters deadLetters, WorkerTiming timing) {
        this.setup = setup;
        this.log = setup.log();
        this.handler = handler;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.timing = timing;
        // Daemon: close() is how a worker stops; one that close() had to give up on must not hold the JVM.
        this.thread = Thread.ofPlatform().name(setup.threadName()).daemon(true).unstarted(this::run);
    }

    /**
     * Starts a worker with clients of its own. Returns at once; the worker joins its group and reads in the
     * background until {@link #close()}. The topics must exist.
     */
    static <T> RecordWorker<T> start(KafkaSettings settings, Setup setup, RecordHandler<T> handler, WorkerTiming timing) {
        Objects.requireNonNull(handler, "handler");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(settings, setup));
        Producer<byte[], byte[]> deadLetterProducer;
        try {
            deadLetterProducer = new KafkaProducer<>(ClientConfigs.reliableProducer(settings, setup.producerRole()));
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        return start(setup, handler, timing, consumer, deadLetterProducer);
    }

    /** With clients made elsewhere (tests pass kafka-clients' mocks); the worker owns and closes them. */
    static <T> RecordWorker<T> start(Setup setup, RecordHandler<T> handler, WorkerTiming timing,
                                     Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetterProducer) {
        DeadLetters deadLetters = new DeadLetters(deadLetterProducer, setup.deadLetterTopic(),
                ClientConfigs.MAX_BLOCK.plus(ClientConfigs.DELIVERY_TIMEOUT));
        RecordWorker<T> worker = new RecordWorker<>(setup, handler, consumer, deadLetters, timing);
        worker.thread.start();
        return worker;
    }

    private static Map<String, Object> consumerConfig(KafkaSettings settings, Setup setup) {
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
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_MAX_WAIT.toMillis());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ClientConfigs.REQUEST_TIMEOUT.toMillis());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** False once the worker stopped: closed, fenced by another process with its instance id, or failed. */
    boolean isRunning() {
        return thread.isAlive() && !stopRequested;
    }

    /**
     * Stops the worker: wakes it up, lets a running handler finish for up to the sync grace (10 s; then
     * interrupts it), commits the offsets of the records done, and closes the consumer and the producer,
     * within about 25 s in all. A static member stays in its group after closing, so a restart with the same
     * instance id gets the same partitions back at once.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        stopRequested = true;
        stopSignal.countDown();
        consumer.wakeup();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(timing.syncGrace());
            synchronized (interruptLock) {
                if (inHandler) {
                    log.log(Level.WARNING, setup.name() + " is still handling a record after "
                            + timing.syncGrace().toMillis() + " ms; interrupting it");
                    thread.interrupt();
                }
            }
            // The final commit, closing the consumer, closing the producer: each bounded by the shutdown timeout.
            thread.join(timing.shutdownTimeout().multipliedBy(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.log(Level.WARNING, setup.name() + " did not stop in time; leaving its thread behind");
        }
    }

    private void run() {
        log.log(Level.INFO, setup.name() + " started: reading " + setup.topic() + " in group " + setup.group()
                + " as " + setup.instance());
        boolean fenced = false;
        try {
            consumer.subscribe(List.of(setup.topic()), new Rebalancing());
            while (!stopRequested) {
                try {
                    resumeDuePartitions();
                    process(consumer.poll(nextPollTimeout()));
                    commitDone(consumer.assignment());
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

    private Duration nextPollTimeout() {
        Duration timeout = timing.pollTimeout();
        var next = progress.nextResumeNanos();
        if (next.isPresent()) {
            Duration untilDue = Duration.ofNanos(Math.max(0, next.getAsLong() - System.nanoTime()));
            return untilDue.compareTo(timeout) < 0 ? untilDue : timeout;
        }
        return timeout;
    }

    private void resumeDuePartitions() {
        List<TopicPartition> due = progress.takeDue(System.nanoTime());
        if (!due.isEmpty()) {
            List<TopicPartition> owned = new ArrayList<>(due);
            owned.retainAll(consumer.assignment());
            consumer.resume(owned);
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        boolean handledOne = false;
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int p = 0; p < partitions.size(); p++) {
            TopicPartition partition = partitions.get(p);
            List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                if (stopRequested) {
                    return;
                }
                if (handledOne && System.nanoTime() - started > timing.batchBudget().toNanos()) {
                    // Poll again (a rebalance may be waiting for it); what is left here is fetched again.
                    rewind(partition, record);
                    for (TopicPartition later : partitions.subList(p + 1, partitions.size())) {
                        rewind(later, records.records(later).getFirst());
                    }
                    return;
                }
                Duration retryAfter = handle(partition, record);
                handledOne = true;
                if (retryAfter != null) {
                    rewind(partition, record);
                    consumer.pause(List.of(partition));
                    progress.pauseUntil(partition, System.nanoTime() + retryAfter.toNanos());
                    break;
                }
                progress.done(record);
                if (System.nanoTime() - lastCommitNanos > timing.commitInterval().toNanos()) {
                    commitDone(consumer.assignment());
                }
            }
        }
    }

    private void rewind(TopicPartition partition, ConsumerRecord<?, ?> record) {
        consumer.seek(partition, new OffsetAndMetadata(record.offset(), record.leaderEpoch(), ""));
    }

    /** Handles one record; returns {@code null} when it is done, else how long to wait before trying it again. */
    private @Nullable Duration handle(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        T value;
        try {
            value = handler.decode(record);
        } catch (RuntimeException e) {
            return deadLetter(partition, record, DeadLetterHeaders.undecodable(record, setup.system().value(), e),
                    "an undecodable record (" + e.getClass().getSimpleName() + ")");
        }
        String what = describe(value, record);
        Verdict verdict;
        try {
            verdict = handleInterruptibly(value);
        } catch (Exception e) {
            return failedUnexpectedly(partition, record, what, e);
        }
        return switch (verdict) {
            case Verdict.Done done -> null;
            // The reason may quote the refused values: it goes to the header, not to the log.
            case Verdict.DeadLetter letter -> deadLetter(partition, record,
                    DeadLetterHeaders.rejected(record, setup.system().value(), letter.details(), letter.reason()),
                    what + " (rejected)");
            case Verdict.Defer defer -> {
                Duration retryAfter = defer.delay().isNegative() ? Duration.ZERO
                        : defer.delay().compareTo(MAX_DEFERRAL) > 0 ? MAX_DEFERRAL : defer.delay();
                log.log(Level.INFO, capitalized(what) + " deferred for " + retryAfter.toMillis() + " ms: " + defer.reason());
                yield retryAfter;
            }
        };
    }

    private Verdict handleInterruptibly(T value) {
        synchronized (interruptLock) {
            inHandler = true;
        }
        try {
            Verdict verdict = handler.handle(value);
            if (verdict == null) {
                throw new IllegalStateException(handler.getClass().getName() + " returned no verdict");
            }
            return verdict;
        } finally {
            synchronized (interruptLock) {
                inHandler = false;
                // An interrupt from close() was meant for the handler; the final commit must not see it.
                Thread.interrupted();
            }
        }
    }

    private @Nullable Duration deadLetter(TopicPartition partition, ConsumerRecord<byte[], byte[]> record,
                                          List<Header> headers, String what) {
        try {
            deadLetters.send(record, headers);
        } catch (DeadLetters.DeadLetterNotWritten e) {
            int failures = progress.failed(partition, record.offset());
            Duration backoff = timing.backoffAfter(failures);
            if (failures == 1) {
                log.log(Level.WARNING, "Could not put " + what + " from " + partition + "@" + record.offset() + " in "
                        + deadLetters.topic() + " (" + e.getMessage() + "); trying again in " + backoff.toMillis() + " ms");
            }
            return backoff;
        }
        log.log(Level.WARNING, "Put " + what + " from " + partition + "@" + record.offset() + " in " + deadLetters.topic());
        return null;
    }

    private Duration failedUnexpectedly(TopicPartition partition, ConsumerRecord<?, ?> record, String what, Exception e) {
        int failures = progress.failed(partition, record.offset());
        Duration backoff = timing.backoffAfter(failures);
        if (failures == 1 && !stopRequested) {
            StackTraceElement[] where = e.getStackTrace();
            log.log(Level.WARNING, capitalized(what) + " failed unexpectedly: " + e.getClass().getName()
                    + (where.length > 0 ? " at " + where[0] : "") + "; trying it again with backoff from "
                    + backoff.toMillis() + " ms (further failures of this record are not logged)");
        }
        return backoff;
    }

    /** The record's name for log lines; its position when the handler cannot name it. */
    private String describe(T value, ConsumerRecord<?, ?> record) {
        try {
            return handler.describe(value);
        } catch (RuntimeException e) {
            return "the record at " + record.topic() + "-" + record.partition() + "@" + record.offset();
        }
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
     * Commits the done offsets of those {@code partitions} that have any. Returns normally when the commit did
     * not go through (they stay uncommitted, to be tried again), except for the failures that stop the worker.
     */
    private void commitDone(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = progress.uncommitted(partitions);
        lastCommitNanos = System.nanoTime();
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, timing.commitTimeout());
            progress.committed(offsets);
        } catch (WakeupException | InterruptException | FencedInstanceIdException stop) {
            throw stop;
        } catch (RebalanceInProgressException e) {
            log.log(Level.DEBUG, () -> setup.name() + " commits " + offsets.keySet() + " after the rebalance in progress");
        } catch (CommitFailedException e) {
            // The group moved these partitions on without us: their new owner repeats what we did since the last commit.
            log.log(Level.WARNING, setup.name() + " lost partitions " + offsets.keySet()
                    + " before it could commit; records done since the last commit will be handled again: " + e.getMessage());
            progress.forget(offsets.keySet());
        } catch (KafkaException e) {
            log.log(Level.WARNING, setup.name() + " could not commit " + offsets.keySet() + " (" + e + "); trying again later");
        }
    }

    private void shutDown(boolean fenced) {
        Thread.interrupted();
        try {
            if (!fenced && progress.hasUncommitted()) {
                try {
                    commitDone(consumer.assignment());
                } catch (WakeupException pendingWakeup) {
                    // close()'s wakeup was still pending; it is used up now.
                    commitDone(consumer.assignment());
                }
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

    /** Commits what is done before partitions move on; forgets the state of partitions that left. */
    private final class Rebalancing implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                commitDone(partitions);
            } catch (WakeupException pendingWakeup) {
                commitDone(partitions);
            } catch (RuntimeException e) {
                log.log(Level.WARNING, setup.name() + " could not commit revoked partitions " + partitions
                        + " (" + e + "); their new owner repeats the records done since the last commit");
            } finally {
                progress.forget(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.log(Level.WARNING, setup.name() + " lost partitions " + partitions
                        + "; records done since the last commit will be handled again");
                progress.forget(partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.log(Level.INFO, setup.name() + " assigned " + partitions);
            }
        }
    }
}
