/**
 * An in-process Apache Kafka broker (KRaft, broker and controller in one node) for the embedded default
 * and the tests. Only the embedded/dev wiring and test code depend on this package: production adapters
 * speak to any broker through {@code kafka-clients} alone.
 */
@NullMarked
package com.stripesync.embedded.kafka;

import org.jspecify.annotations.NullMarked;
