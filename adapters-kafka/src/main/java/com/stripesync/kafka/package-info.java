/**
 * The Kafka adapter: the log between the outbox and the workers. {@link com.stripesync.kafka.KafkaSettings}
 * says where the broker is and how topics are named; {@code topic} names and creates the topics,
 * {@code change} is the record format, {@code publish} is the outbox relay's
 * {@link com.stripesync.domain.change.ChangePublisher}, and {@code worker} applies the log to one external
 * system.
 */
@NullMarked
package com.stripesync.kafka;

import org.jspecify.annotations.NullMarked;
