package com.stripesync.kafka.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What one worker knows about its partitions between polls: the offsets done but not yet committed, the
 * partitions paused until a deferred record is due, and the consecutive failures of each partition's current
 * record. Confined to the worker's thread.
 */
final class Progress {

    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final Map<TopicPartition, Long> resumeAtNanos = new HashMap<>();
    private final Map<TopicPartition, Failures> failures = new HashMap<>();

    private record Failures(long offset, int count) {
    }

    /** The record's outcome is recorded (or it is in the dead-letter topic): the group may move past it. */
    void done(ConsumerRecord<?, ?> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        uncommitted.put(partition, new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
        failures.remove(partition);
    }

    /** The offsets to commit for those of {@code partitions} that have any. */
    Map<TopicPartition, OffsetAndMetadata> uncommitted(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = uncommitted.get(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
        }
        return offsets;
    }

    boolean hasUncommitted() {
        return !uncommitted.isEmpty();
    }

    /** Kafka took these offsets; those not overtaken meanwhile need no commit any more. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach(uncommitted::remove);
    }

    /** Counts a failure of the record at {@code offset}; returns how many times in a row it failed. */
    int failed(TopicPartition partition, long offset) {
        Failures before = failures.get(partition);
        int count = before != null && before.offset() == offset ? before.count() + 1 : 1;
        failures.put(partition, new Failures(offset, count));
        return count;
    }

    void pauseUntil(TopicPartition partition, long nanos) {
        resumeAtNanos.put(partition, nanos);
    }

    /** The paused partitions whose time has come, no longer tracked as paused. */
    List<TopicPartition> takeDue(long nowNanos) {
        List<TopicPartition> due = new ArrayList<>();
        resumeAtNanos.entrySet().removeIf(entry -> {
            boolean isDue = entry.getValue() - nowNanos <= 0;
            if (isDue) {
                due.add(entry.getKey());
            }
            return isDue;
        });
        return due;
    }

    /** When the next paused partition is due, if any is paused. */
    OptionalLong nextResumeNanos() {
        return resumeAtNanos.values().stream().mapToLong(Long::longValue)
                .reduce((a, b) -> a - b <= 0 ? a : b);
    }

    /** The partitions went to another worker (their offsets committed before, if possible): forget them. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            uncommitted.remove(partition);
            resumeAtNanos.remove(partition);
            failures.remove(partition);
        });
    }
}
