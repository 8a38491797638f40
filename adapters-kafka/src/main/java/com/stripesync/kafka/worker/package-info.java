/**
 * Applying a topic: {@link com.stripesync.kafka.worker.ChangeWorker} applies the changes to one external
 * system, {@link com.stripesync.kafka.worker.InboundWorker} applies one system's webhook events to the catalog.
 * Both run one consumer loop, which hands records over in per-customer order, different customers concurrently
 * up to a bound ({@link com.stripesync.kafka.worker.WorkerConcurrency}), and acknowledges (commits) a record only
 * once it and every record before it in its partition have their outcome recorded or are in the dead-letter
 * topic ({@link com.stripesync.kafka.worker.DeadLetterHeaders}).
 */
@NullMarked
package com.stripesync.kafka.worker;

import org.jspecify.annotations.NullMarked;
