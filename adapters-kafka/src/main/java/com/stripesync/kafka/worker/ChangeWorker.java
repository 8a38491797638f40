package com.stripesync.kafka.worker;

import com.stripesync.application.sync.SyncChange;
import com.stripesync.application.sync.SyncOutcome;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.ClientConfigs;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.change.ChangeJson;
import com.stripesync.kafka.change.UndecodableChange;
import com.stripesync.kafka.topic.SyncTopics;
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
 * Applies the changes topic to one external system, on one thread of its own.
 *
 * <p>Workers of one system form the consumer group {@link SyncTopics#workerGroup}; each partition, and so
 * each customer, has one worker at a time, which applies that customer's changes in order. Membership is
 * static ({@code group.instance.id = instanceId + "-" + system}): a restarted process gets its partitions back
 * at once, without a rebalance; one that stays away loses them after {@code session.timeout.ms} (45 s).
 *
 * <p>The topics must exist ({@link com.stripesync.kafka.topic.KafkaTopicAdmin#ensureTopics}) before a worker
 * starts. Each record, in order:
 * <ul>
 *   <li>a value that is not a change ({@link UndecodableChange}) is poison: it goes to the system's
 *       dead-letter topic unchanged, with the error in {@link DeadLetterHeaders}, and the worker moves on;</li>
 *   <li>otherwise {@link SyncChange#sync} decides: {@code Applied} and {@code Skipped} are done;
 *       {@code Rejected} goes to the dead-letter topic with its reason, then is done; {@code Deferred} puts
 *       the partition back to this record and pauses it until {@code retryAfter} has passed (nothing later in
 *       the partition overtakes it; other partitions go on, and polling keeps the membership alive);</li>
 *   <li>a sync that throws is deferred the same way, with a backoff from 1 s doubling up to 30 s, logged
 *       once per record (the exception's class and where it was thrown, never its message: it might hold
 *       a customer's name or email).</li>
 * </ul>
 * Offsets are committed only for records that are done, after they are done and after their dead letter is
 * acknowledged: at least after each poll's records, every second while a batch runs, before partitions
 * move to another worker, and on {@link #close()}. So a crash or a rebalance loses nothing and repeats at
 * most the changes done since the last commit, which {@link SyncChange} treats as already handled.
 */
public final class ChangeWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChangeWorker.class.getName());
    /**
     * Few records per poll: a poll from the buffer is cheap, and a rebalance waits for every member's next
     * poll, so a long batch of slow syncs would hold up the whole group.
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
    /** A longer wait asked for is cut to this; the change is then tried (and maybe deferred) again. */
    static final Duration MAX_DEFERRAL = Duration.ofHours(1);

    private final SystemName system;
    private final String topic;
    private final String group;
    private final String instance;
    private final SyncChange sync;
    private final Consumer<byte[], byte[]> consumer;
    private final DeadLetters deadLetters;
    private final WorkerTiming timing;
    private final Progress progress = new Progress();
    private final Thread thread;
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** Guards {@link #inSync}, so that close() interrupts a running sync and nothing else. */
    private final Object interruptLock = new Object();
    private volatile boolean stopRequested;
    private boolean inSync;
    private long lastCommitNanos = System.nanoTime();
    private int pollFailures;

    private ChangeWorker(SystemName system, SyncTopics topics, String instance, SyncChange sync,
                         Consumer<byte[], byte[]> consumer, DeadLetters deadLetters, WorkerTiming timing) {
        this.system = system;
        this.topic = topics.changes();
        this.group = topics.workerGroup(system);
        this.instance = instance;
        this.sync = sync;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.timing = timing;
        // Daemon: close() is how a worker stops; one that close() had to give up on must not hold the JVM.
        this.thread = Thread.ofPlatform().name("change-worker-" + system).daemon(true).unstarted(this::run);
    }

    /**
     * Starts a worker applying the changes topic to {@code system} through {@code sync}. Returns at once; the
     * worker joins its group and reads in the background until {@link #close()}.
     */
    public static ChangeWorker start(KafkaSettings settings, SystemName system, SyncChange sync) {
        return start(settings, system, sync, WorkerTiming.STANDARD);
    }

    static ChangeWorker start(KafkaSettings settings, SystemName system, SyncChange sync, WorkerTiming timing) {
        Objects.requireNonNull(sync, "sync");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(settings, SyncTopics.of(settings), system));
        Producer<byte[], byte[]> deadLetterProducer;
        try {
            deadLetterProducer = new KafkaProducer<>(ClientConfigs.reliableProducer(settings, "dead-letters-" + system.value()));
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        return start(settings, system, sync, timing, consumer, deadLetterProducer);
    }

    /** With clients made elsewhere (tests pass kafka-clients' mocks); the worker owns and closes them. */
    static ChangeWorker start(KafkaSettings settings, SystemName system, SyncChange sync, WorkerTiming timing,
                              Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetterProducer) {
        SyncTopics topics = SyncTopics.of(settings);
        DeadLetters deadLetters = new DeadLetters(deadLetterProducer, topics.deadLetter(system),
                ClientConfigs.MAX_BLOCK.plus(ClientConfigs.DELIVERY_TIMEOUT));
        ChangeWorker worker = new ChangeWorker(system, topics, instanceId(settings, system), sync, consumer, deadLetters, timing);
        worker.thread.start();
        return worker;
    }

    private static String instanceId(KafkaSettings settings, SystemName system) {
        return settings.instanceId() + "-" + system.value();
    }

    private static Map<String, Object> consumerConfig(KafkaSettings settings, SyncTopics topics, SystemName system) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, ClientConfigs.clientId(settings, "worker-" + system.value()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, topics.workerGroup(system));
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId(settings, system));
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

    public SystemName system() {
        return system;
    }

    /** False once the worker stopped: closed, fenced by another process with its instance id, or failed. */
    public boolean isRunning() {
        return thread.isAlive() && !stopRequested;
    }

    /**
     * Stops the worker: wakes it up, lets a running sync finish for up to 10 s (then interrupts it), commits
     * the offsets of the records done, and closes the consumer and the producer, within about 25 s in all.
     * A static member stays in its group after closing, so a restart with the same instance id gets the
     * same partitions back at once.
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
                if (inSync) {
                    LOG.log(Level.WARNING, "The change worker for " + system + " is still applying a change after "
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
            LOG.log(Level.WARNING, "The change worker for " + system + " did not stop in time; leaving its thread behind");
        }
    }

    private void run() {
        LOG.log(Level.INFO, "Change worker for " + system + " started: reading " + topic + " in group " + group
                + " as " + instance);
        boolean fenced = false;
        try {
            consumer.subscribe(List.of(topic), new Rebalancing());
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
                    LOG.log(Level.WARNING, "Change worker for " + system + ": another process joined group " + group
                            + " as " + instance + "; this one stops without committing (instance ids must be unique)");
                    break;
                } catch (KafkaException e) {
                    backOffAfterPollFailure(e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Change worker for " + system + " stopped by an unexpected failure", e);
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
        CustomerChange change;
        try {
            change = ChangeJson.decode(record.value());
        } catch (UndecodableChange e) {
            return deadLetter(partition, record, DeadLetterHeaders.undecodable(record, system.value(), e),
                    "an undecodable record (" + e.getClass().getSimpleName() + ")");
        }
        SyncOutcome outcome;
        try {
            outcome = syncInterruptibly(change);
        } catch (Exception e) {
            return failedUnexpectedly(partition, record, change, e);
        }
        return switch (outcome) {
            case SyncOutcome.Applied applied -> null;
            case SyncOutcome.Skipped skipped -> null;
            case SyncOutcome.Rejected rejected -> deadLetter(partition, record,
                    DeadLetterHeaders.rejected(record, system.value(), change.id().toString(), rejected.reason()),
                    // The reason may quote the refused values: it goes to the header, not to the log.
                    "change " + change.id() + " (rejected by " + system + ")");
            case SyncOutcome.Deferred deferred -> {
                Duration retryAfter = deferred.retryAfter().isNegative() ? Duration.ZERO
                        : deferred.retryAfter().compareTo(MAX_DEFERRAL) > 0 ? MAX_DEFERRAL : deferred.retryAfter();
                LOG.log(Level.INFO, "Change " + change.id() + " for " + system + " deferred for " + retryAfter.toMillis()
                        + " ms: " + deferred.reason());
                yield retryAfter;
            }
        };
    }

    private SyncOutcome syncInterruptibly(CustomerChange change) {
        synchronized (interruptLock) {
            inSync = true;
        }
        try {
            SyncOutcome outcome = sync.sync(change);
            if (outcome == null) {
                throw new IllegalStateException(sync.getClass().getName() + " returned no outcome");
            }
            return outcome;
        } finally {
            synchronized (interruptLock) {
                inSync = false;
                // An interrupt from close() was meant for the sync; the final commit must not see it.
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
                LOG.log(Level.WARNING, "Could not put " + what + " from " + partition + "@" + record.offset() + " in "
                        + deadLetters.topic() + " (" + e.getMessage()
                        + "); trying again in " + backoff.toMillis() + " ms");
            }
            return backoff;
        }
        LOG.log(Level.WARNING, "Put " + what + " from " + partition + "@" + record.offset() + " in " + deadLetters.topic());
        return null;
    }

    private Duration failedUnexpectedly(TopicPartition partition, ConsumerRecord<?, ?> record, CustomerChange change, Exception e) {
        int failures = progress.failed(partition, record.offset());
        Duration backoff = timing.backoffAfter(failures);
        if (failures == 1 && !stopRequested) {
            StackTraceElement[] where = e.getStackTrace();
            LOG.log(Level.WARNING, "Change " + change.id() + " for " + system + " failed unexpectedly: " + e.getClass().getName()
                    + (where.length > 0 ? " at " + where[0] : "") + "; trying it again with backoff from "
                    + backoff.toMillis() + " ms (further failures of this change are not logged)");
        }
        return backoff;
    }

    private void backOffAfterPollFailure(KafkaException e) {
        pollFailures++;
        Duration backoff = timing.backoffAfter(pollFailures);
        if (pollFailures == 1) {
            LOG.log(Level.WARNING, "Change worker for " + system + " cannot read " + topic + " (" + e
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
            LOG.log(Level.DEBUG, () -> "Change worker for " + system + " commits " + offsets.keySet() + " after the rebalance in progress");
        } catch (CommitFailedException e) {
            // The group moved these partitions on without us: their new owner repeats what we did since the last commit.
            LOG.log(Level.WARNING, "Change worker for " + system + " lost partitions " + offsets.keySet()
                    + " before it could commit; changes done since the last commit will be applied again: " + e.getMessage());
            progress.forget(offsets.keySet());
        } catch (KafkaException e) {
            LOG.log(Level.WARNING, "Change worker for " + system + " could not commit " + offsets.keySet() + " (" + e
                    + "); trying again later");
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
            LOG.log(Level.WARNING, "Change worker for " + system + " could not commit its last offsets (" + e
                    + "); those changes will be applied again");
        } finally {
            try {
                consumer.close(CloseOptions.timeout(timing.shutdownTimeout()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Change worker for " + system + ": closing the consumer failed: " + e);
            }
            try {
                deadLetters.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Change worker for " + system + ": closing the dead-letter producer failed: " + e);
            }
            LOG.log(Level.INFO, "Change worker for " + system + " (" + instance + ") stopped");
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
                LOG.log(Level.WARNING, "Change worker for " + system + " could not commit revoked partitions " + partitions
                        + " (" + e + "); their new owner repeats the changes done since the last commit");
            } finally {
                progress.forget(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.log(Level.WARNING, "Change worker for " + system + " lost partitions " + partitions
                        + "; changes done since the last commit will be applied again");
                progress.forget(partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.log(Level.INFO, "Change worker for " + system + " assigned " + partitions);
            }
        }
    }
}
