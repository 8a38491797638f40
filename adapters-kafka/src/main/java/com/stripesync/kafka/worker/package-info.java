/**
 * Applying the log to one external system: {@link com.stripesync.kafka.worker.ChangeWorker} reads the
 * changes in per-customer order and acknowledges (commits) a change only once its outcome is recorded or it
 * is in the dead-letter topic ({@link com.stripesync.kafka.worker.DeadLetterHeaders}).
 */
@NullMarked
package com.stripesync.kafka.worker;

import org.jspecify.annotations.NullMarked;
