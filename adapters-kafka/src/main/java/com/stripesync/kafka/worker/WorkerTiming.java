package com.stripesync.kafka.worker;

import java.time.Duration;

/**
 * The worker's clock settings; tests shorten some.
 *
 * @param pollTimeout      longest one poll blocks (also how soon a paused partition is resumed)
 * @param batchBudget      after this long on one poll's records the worker polls again (what is left is
 *                         fetched again): slow syncs never get it thrown out of the group
 *                         ({@code max.poll.interval.ms}), nor hold up a rebalance for long
 * @param commitInterval   while working through a batch, done records are committed at least this often
 * @param commitTimeout    longest one offset commit waits
 * @param failureBackoff   wait after a handler (a sync) that threw (or a dead letter that was not written), doubled per
 *                         further failure of the same record
 * @param maxFailureBackoff the cap of that doubling
 * @param syncGrace        how long closing a worker lets a running handler (a sync) finish before interrupting it
 * @param shutdownTimeout  bound for each of the final commit, closing the consumer and closing the producer
 */
record WorkerTiming(Duration pollTimeout, Duration batchBudget, Duration commitInterval, Duration commitTimeout,
                    Duration failureBackoff, Duration maxFailureBackoff, Duration syncGrace, Duration shutdownTimeout) {

    /** Kafka's default; stated so that the batch budget stays below it. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(5);

    static final WorkerTiming STANDARD = new WorkerTiming(Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(5));

    WorkerTiming {
        if (batchBudget.compareTo(MAX_POLL_INTERVAL.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("the batch budget must leave room within max.poll.interval.ms");
        }
    }

    WorkerTiming withSyncGrace(Duration grace) {
        return new WorkerTiming(pollTimeout, batchBudget, commitInterval, commitTimeout, failureBackoff,
                maxFailureBackoff, grace, shutdownTimeout);
    }

    WorkerTiming withBatchBudget(Duration budget) {
        return new WorkerTiming(pollTimeout, budget, commitInterval, commitTimeout, failureBackoff,
                maxFailureBackoff, syncGrace, shutdownTimeout);
    }

    WorkerTiming withFailureBackoff(Duration initial) {
        return new WorkerTiming(pollTimeout, batchBudget, commitInterval, commitTimeout, initial,
                maxFailureBackoff, syncGrace, shutdownTimeout);
    }

    /** The wait after the {@code failures}-th consecutive failure of one record (1-based). */
    Duration backoffAfter(int failures) {
        Duration delay = failureBackoff.multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(maxFailureBackoff) > 0 ? maxFailureBackoff : delay;
    }
}
