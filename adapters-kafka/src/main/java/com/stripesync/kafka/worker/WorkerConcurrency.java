package com.stripesync.kafka.worker;

/**
 * How many records one worker has in flight at most: handed to the lane of their key (the customer) and not
 * yet done, whether running, waiting to be tried again, or queued behind an earlier record of their key.
 * Records of one key are always handled one after the other, in offset order; records of different keys run
 * concurrently up to this bound. When it is reached the worker stops fetching (it keeps polling, so it stays
 * in its group) until a record is done.
 *
 * <p>A record waiting to be tried again (deferred, or after a failure) keeps its place, so an outage fills the
 * window and the worker stops reading. With {@link #SEQUENTIAL} that one place is the worker's only one: while a
 * record waits, the whole worker waits (before lanes, only the record's partition did).
 *
 * <p>Size it with the external system in mind: 64 calls of 200 ms each are about 320 calls a second, more than
 * Stripe accepts (100 writes a second live, 25 in test mode), so the system's adapter must limit its rate.
 *
 * @param maxInFlight 1 (one record at a time, in the order polled) to {@value #MAX}
 */
public record WorkerConcurrency(int maxInFlight) {

    public static final int MAX = 1_000;
    public static final WorkerConcurrency DEFAULT = new WorkerConcurrency(64);
    public static final WorkerConcurrency SEQUENTIAL = new WorkerConcurrency(1);

    public WorkerConcurrency {
        if (maxInFlight < 1 || maxInFlight > MAX) {
            throw new IllegalArgumentException("a worker has 1 to " + MAX + " records in flight, not " + maxInFlight);
        }
    }
}
