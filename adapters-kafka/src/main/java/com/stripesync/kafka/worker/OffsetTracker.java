package com.stripesync.kafka.worker;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Which offset of one partition may be committed while its records finish out of order: the one after the
 * longest run of done records from the first one received, so a commit never moves past a record that is not
 * done. Offsets need not be contiguous (compaction and transaction markers leave gaps): only received offsets
 * count. Not thread-safe: {@link Lanes} guards it.
 */
final class OffsetTracker {

    /** Received records not yet part of the done run, by offset. */
    private final NavigableMap<Long, Entry> unsettled = new TreeMap<>();
    private long highestReceived = -1;
    private @Nullable OffsetAndMetadata committable;

    private static final class Entry {
        private final Optional<Integer> leaderEpoch;
        private boolean done;

        private Entry(Optional<Integer> leaderEpoch) {
            this.leaderEpoch = leaderEpoch;
        }
    }

    /**
     * The record at {@code offset} was handed out. Returns false (and changes nothing) when that offset was
     * received before: a record must not be handled twice by the same owner.
     */
    boolean received(long offset, Optional<Integer> leaderEpoch) {
        if (offset <= highestReceived) {
            return false;
        }
        highestReceived = offset;
        unsettled.put(offset, new Entry(leaderEpoch));
        return true;
    }

    /**
     * The record at {@code offset} is done. Returns false (and changes nothing) for an offset not received or
     * already done.
     */
    boolean done(long offset) {
        Entry entry = unsettled.get(offset);
        if (entry == null || entry.done) {
            return false;
        }
        entry.done = true;
        for (Map.Entry<Long, Entry> first = unsettled.firstEntry(); first != null && first.getValue().done;
             first = unsettled.firstEntry()) {
            unsettled.pollFirstEntry();
            // The offset after the last done record, with that record's leader epoch, as the consumer commits.
            committable = new OffsetAndMetadata(first.getKey() + 1, first.getValue().leaderEpoch, "");
        }
        return true;
    }

    /** The offset to commit: after the run of done records; empty until the first received record is done. */
    Optional<OffsetAndMetadata> committable() {
        return Optional.ofNullable(committable);
    }

    /** Records received and not yet committable: not done, or done after one that is not. */
    int unsettled() {
        return unsettled.size();
    }
}
