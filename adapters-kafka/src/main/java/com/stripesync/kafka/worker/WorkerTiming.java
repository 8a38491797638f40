package com.stripesync.kafka.worker;

import java.time.Duration;

/**
 * The worker's clock settings; tests shorten some.
 *
 * @param pollTimeout       longest one poll blocks while the worker has room for more records
 * @param commitInterval    the offsets of done records are committed at least this often (and when partitions
 *                          leave, and on close)
 * @param commitTimeout     longest one offset commit waits
 * @param failureBackoff    wait after a handler (a sync) that threw (or a dead letter that was not written), doubled per
 *                          further failure of the same record
 * @param maxFailureBackoff the cap of that doubling
 * @param syncGrace         how long closing a worker lets running handlers (syncs) finish before interrupting them
 * @param revocationGrace   how long a partition moving to another worker lets its running handlers finish before
 *                          interrupting them; the group's rebalance waits for it
 * @param shutdownTimeout   bound for the wait after interrupting, and for each of the final commit, closing the
 *                          consumer and closing the producer
 */
record WorkerTiming(Duration pollTimeout, Duration commitInterval, Duration commitTimeout, Duration failureBackoff,
                    Duration maxFailureBackoff, Duration syncGrace, Duration revocationGrace, Duration shutdownTimeout) {

    /** Kafka's default; stated so that a revocation stays well below it (it runs inside a poll). */
    static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(5);

    static final WorkerTiming STANDARD = new WorkerTiming(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(5), Duration.ofSeconds(5));

    WorkerTiming {
        if (revocationGrace.plus(shutdownTimeout).plus(commitTimeout).compareTo(MAX_POLL_INTERVAL.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("a revocation must leave room within max.poll.interval.ms");
        }
    }

    WorkerTiming withSyncGrace(Duration grace) {
        return new WorkerTiming(pollTimeout, commitInterval, commitTimeout, failureBackoff, maxFailureBackoff, grace,
                revocationGrace, shutdownTimeout);
    }

    WorkerTiming withRevocationGrace(Duration grace) {
        return new WorkerTiming(pollTimeout, commitInterval, commitTimeout, failureBackoff, maxFailureBackoff, syncGrace,
                grace, shutdownTimeout);
    }

    WorkerTiming withFailureBackoff(Duration initial) {
        return new WorkerTiming(pollTimeout, commitInterval, commitTimeout, initial, maxFailureBackoff, syncGrace,
                revocationGrace, shutdownTimeout);
    }

    /** The wait after the {@code failures}-th consecutive failure of one record (1-based). */
    Duration backoffAfter(int failures) {
        Duration delay = failureBackoff.multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(maxFailureBackoff) > 0 ? maxFailureBackoff : delay;
    }
}
