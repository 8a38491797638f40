/**
 * One Kafka broker per test JVM, shared by every test in it: {@link com.stripesync.testing.kafka.SharedKafka}.
 * Tests keep their data apart with fresh topic and group names instead of fresh brokers.
 */
@NullMarked
package com.stripesync.testing.kafka;

import org.jspecify.annotations.NullMarked;
