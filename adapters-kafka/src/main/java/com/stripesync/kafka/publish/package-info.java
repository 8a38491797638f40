/**
 * Publishing recorded changes: {@link com.stripesync.kafka.publish.KafkaChangePublisher}, the outbox relay's
 * {@link com.stripesync.domain.change.ChangePublisher}.
 */
@NullMarked
package com.stripesync.kafka.publish;

import org.jspecify.annotations.NullMarked;
