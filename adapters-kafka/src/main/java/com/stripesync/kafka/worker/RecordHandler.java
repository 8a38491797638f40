package com.stripesync.kafka.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one kind of worker does with the records of its topic; {@link RecordWorker} does the rest (order,
 * commits, pauses, retries, dead letters, shutdown).
 *
 * @param <T> a record as the handler reads it
 */
interface RecordHandler<T> {

    /**
     * Reads a record. Decoding depends on the record alone, so any exception means it can never be read: the
     * record is poison and goes to the dead-letter topic with the error in its headers.
     */
    T decode(ConsumerRecord<byte[], byte[]> record);

    /** Names the record in log lines, without personal data: {@code "change 42 for stripe"}. */
    String describe(T value);

    /**
     * Handles the record; the verdict must be final (recorded) when this returns. An exception (or a missing
     * verdict) is retried with backoff, up to {@value RecordWorker#MAX_CONSECUTIVE_FAILURES} times in a row, then
     * the record goes to the dead-letter topic: an outage must be a {@link Verdict.Defer}, which has no limit.
     */
    Verdict handle(T value);
}
