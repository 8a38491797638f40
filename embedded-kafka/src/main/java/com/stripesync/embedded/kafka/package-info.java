/**
 * An in-process Apache Kafka broker (KRaft, broker and controller in one node) for the embedded default
 * and the tests. Only the embedded/dev wiring and test code depend on this package: production adapters
 * speak to any broker through {@code kafka-clients} alone.
 *
 * <p>Logging: {@code kafka_2.13} 4.4 logs through slf4j and ships no binding; the service binds slf4j to
 * {@code java.util.logging}. Its {@code log4j-core} dependency (only for Kafka's runtime log-level API) is
 * excluded in the root POM and {@code log4j-to-slf4j} routes its few log4j-api calls to slf4j, so there
 * is one logging backend and one format. Kafka's loggers start at WARNING unless the logging
 * configuration names a level for them (see {@code KafkaLogLevels}); what remains is one WARNING line
 * per start ("Performing controller activation") and one per stop ("Attempting to close NetworkClient
 * that has already been closed"), both harmless.
 */
@NullMarked
package com.stripesync.embedded.kafka;

import org.jspecify.annotations.NullMarked;
