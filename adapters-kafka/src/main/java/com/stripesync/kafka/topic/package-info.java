/**
 * The topics and consumer groups of the sync, named from the configured prefix
 * ({@link com.stripesync.kafka.topic.SyncTopics}) and created at start-up
 * ({@link com.stripesync.kafka.topic.KafkaTopicAdmin}).
 */
@NullMarked
package com.stripesync.kafka.topic;

import org.jspecify.annotations.NullMarked;
