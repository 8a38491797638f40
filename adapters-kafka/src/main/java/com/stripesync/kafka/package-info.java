/**
 * The Kafka adapter: the log between the outbox and the workers, and the queue between the webhook endpoint
 * and the catalog. {@link com.stripesync.kafka.KafkaSettings} says where the broker is and how topics are
 * named; {@code topic} names and creates the topics, {@code change} is the record format of a change,
 * {@code publish} is the outbox relay's {@link com.stripesync.domain.change.ChangePublisher}, {@code inbound}
 * is the webhook intake's {@link com.stripesync.domain.inbound.InboundEventQueue}, and {@code worker} applies
 * the changes to one external system and one system's events to the catalog.
 */
@NullMarked
package com.stripesync.kafka;

import org.jspecify.annotations.NullMarked;
