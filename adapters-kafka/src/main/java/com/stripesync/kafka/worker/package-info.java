/**
 * Applying a topic, one thread per worker: {@link com.stripesync.kafka.worker.ChangeWorker} applies the
 * changes to one external system, {@link com.stripesync.kafka.worker.InboundWorker} applies one system's
 * webhook events to the catalog. Both run one consumer loop, which hands records over in per-customer order
 * and acknowledges (commits) a record only once its outcome is recorded or it is in the dead-letter topic
 * ({@link com.stripesync.kafka.worker.DeadLetterHeaders}).
 */
@NullMarked
package com.stripesync.kafka.worker;

import org.jspecify.annotations.NullMarked;
