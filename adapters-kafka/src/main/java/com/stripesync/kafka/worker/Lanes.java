package com.stripesync.kafka.worker;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Runs one worker's records concurrently while keeping each key's records in order: one FIFO lane per
 * partition and record key (records without a key share one lane per partition), on a thread of its own
 * while it has records. A lane starts its next record only after the one before is done or given up.
 *
 * <p>At most {@code maxInFlight} records are in the lanes at once: running, waiting to be tried again, or
 * queued behind an earlier record of their key. The poll thread receives each polled record (its partition's
 * {@link OffsetTracker} then holds commits below it until it is done), dispatches it when there is room,
 * releases partitions that leave (their queued records are dropped, their waits end) and forgets them once
 * their offsets are committed. One lock guards all of it; a worker makes a few hundred calls a second at most.
 */
final class Lanes {

    /** What a lane does with one record. Must not throw. */
    @FunctionalInterface
    interface Work {
        /**
         * Handles the record until it is done (true), or gives it up (false) when its partition is released or
         * the worker stops: then it is not done, and whoever owns the partition next gets it again.
         */
        boolean run(ConsumerRecord<byte[], byte[]> record, Partition partition);
    }

    /** A partition as the lanes see it, from its first received record until it is forgotten. */
    static final class Partition {

        private final OffsetTracker offsets = new OffsetTracker();
        private final CountDownLatch released = new CountDownLatch(1);
        private final Set<Thread> running = new HashSet<>();
        private int inLanes;
        private @Nullable OffsetAndMetadata committed;

        boolean isReleased() {
            return released.getCount() == 0;
        }

        /**
         * Waits {@code delay} before a record is tried again. Returns false, at once, when the partition is
         * released meanwhile or the thread is interrupted: the record must then be given up.
         */
        boolean awaitRetry(Duration delay) {
            try {
                return !released.await(delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** A record key compared by content; {@code null} for records without one. */
    private record LaneKey(TopicPartition partition, @Nullable ByteBuffer key) {
    }

    private static final class Lane {

        private final LaneKey key;
        private final Partition partition;
        private final ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = new ArrayDeque<>();

        private Lane(LaneKey key, Partition partition) {
            this.key = key;
            this.partition = partition;
        }
    }

    private final int maxInFlight;
    private final ThreadFactory threads;
    private final Work work;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a record leaves the lanes. */
    private final Condition left = lock.newCondition();
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private final Map<LaneKey, Lane> lanes = new HashMap<>();
    private int inFlight;
    private int peakInFlight;

    Lanes(int maxInFlight, ThreadFactory threads, Work work) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("at least one record must be allowed in flight, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.threads = Objects.requireNonNull(threads, "threads");
        this.work = Objects.requireNonNull(work, "work");
    }

    /**
     * Registers a polled record with its partition's offsets. Returns false for a record received before
     * (it must not be dispatched again).
     */
    boolean receive(ConsumerRecord<byte[], byte[]> record) {
        lock.lock();
        try {
            return partitions.computeIfAbsent(partitionOf(record), id -> new Partition())
                    .offsets.received(record.offset(), record.leaderEpoch());
        } finally {
            lock.unlock();
        }
    }

    boolean hasRoom() {
        lock.lock();
        try {
            return inFlight < maxInFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Puts a received record at the end of its key's lane, starting the lane if it was idle. Needs room. */
    void dispatch(ConsumerRecord<byte[], byte[]> record) {
        lock.lock();
        try {
            TopicPartition id = partitionOf(record);
            Partition partition = partitions.get(id);
            if (partition == null || partition.isReleased()) {
                throw new IllegalStateException("record " + id + "@" + record.offset() + " was not received or its partition left");
            }
            if (inFlight >= maxInFlight) {
                throw new IllegalStateException("no room for " + id + "@" + record.offset());
            }
            LaneKey key = new LaneKey(id, record.key() == null ? null : ByteBuffer.wrap(record.key()));
            Lane lane = lanes.get(key);
            boolean idle = lane == null;
            if (idle) {
                lane = new Lane(key, partition);
                lanes.put(key, lane);
            }
            lane.queue.addLast(record);
            partition.inLanes++;
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
            if (idle) {
                Lane started = lane;
                threads.newThread(() -> drain(started)).start();
            }
        } finally {
            lock.unlock();
        }
    }

    private void drain(Lane lane) {
        Thread self = Thread.currentThread();
        while (true) {
            ConsumerRecord<byte[], byte[]> record;
            lock.lock();
            try {
                record = lane.queue.pollFirst();
                if (record == null) {
                    lanes.remove(lane.key, lane);
                    return;
                }
                lane.partition.running.add(self);
            } finally {
                lock.unlock();
            }
            boolean done = false;
            try {
                done = work.run(record, lane.partition);
            } finally {
                lock.lock();
                try {
                    lane.partition.running.remove(self);
                    lane.partition.inLanes--;
                    inFlight--;
                    if (done) {
                        lane.partition.offsets.done(record.offset());
                    }
                    left.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Waits until there is room for a record, for at most {@code timeout}; returns whether there is. */
    boolean awaitRoom(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (inFlight >= maxInFlight) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = left.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The partitions leave (or the worker stops): their queued records are dropped, not done; records waiting
     * for a retry give up; running ones finish (see {@link #awaitIdle}). Their offsets stay until {@link #forget}.
     */
    void release(Collection<TopicPartition> ids) {
        lock.lock();
        try {
            for (TopicPartition id : ids) {
                Partition partition = partitions.get(id);
                if (partition != null) {
                    partition.released.countDown();
                }
            }
            lanes.values().removeIf(lane -> {
                if (!lane.partition.isReleased()) {
                    return false;
                }
                int dropped = lane.queue.size();
                lane.queue.clear();
                lane.partition.inLanes -= dropped;
                inFlight -= dropped;
                return true;
            });
            left.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until none of the partitions has a record in a lane, for at most {@code timeout}; returns whether so. */
    boolean awaitIdle(Collection<TopicPartition> ids, Duration timeout) {
        lock.lock();
        try {
            List<Partition> watched = ids.stream().map(partitions::get).filter(Objects::nonNull).toList();
            long nanos = timeout.toNanos();
            while (watched.stream().anyMatch(partition -> partition.inLanes > 0)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = left.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts the threads running records of these partitions. */
    void interrupt(Collection<TopicPartition> ids) {
        lock.lock();
        try {
            ids.stream().map(partitions::get).filter(Objects::nonNull)
                    .forEach(partition -> partition.running.forEach(Thread::interrupt));
        } finally {
            lock.unlock();
        }
    }

    /** The offsets to commit for those of the partitions that moved on since their last commit. */
    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> ids) {
        lock.lock();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition id : ids) {
                Partition partition = partitions.get(id);
                if (partition != null) {
                    partition.offsets.committable()
                            .filter(offset -> !offset.equals(partition.committed))
                            .ifPresent(offset -> offsets.put(id, offset));
                }
            }
            return offsets;
        } finally {
            lock.unlock();
        }
    }

    /** Kafka took these offsets. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        lock.lock();
        try {
            offsets.forEach((id, offset) -> {
                Partition partition = partitions.get(id);
                if (partition != null) {
                    partition.committed = offset;
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is known about released partitions; records they still run finish unrecorded. */
    void forget(Collection<TopicPartition> ids) {
        lock.lock();
        try {
            ids.forEach(partitions::remove);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Those of the partitions whose oldest record not done holds back at least {@code limit} received records
     * (itself included): they should stop fetching until it is done.
     */
    Set<TopicPartition> crowded(Collection<TopicPartition> ids, int limit) {
        lock.lock();
        try {
            Set<TopicPartition> crowded = new HashSet<>();
            for (TopicPartition id : ids) {
                Partition partition = partitions.get(id);
                if (partition != null && partition.offsets.unsettled() >= limit) {
                    crowded.add(id);
                }
            }
            return crowded;
        } finally {
            lock.unlock();
        }
    }

    /** The partitions with records received and not forgotten. */
    Set<TopicPartition> partitions() {
        lock.lock();
        try {
            return Set.copyOf(partitions.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Records in the lanes now, including those still running for partitions already forgotten. */
    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** The most records that were ever in the lanes at once. */
    int peakInFlight() {
        lock.lock();
        try {
            return peakInFlight;
        } finally {
            lock.unlock();
        }
    }

    static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
