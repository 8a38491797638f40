package com.stripesync.embedded.kafka;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Keeps the broker's chatter out of the service's log.
 *
 * <p>Kafka 4.4 logs through slf4j (its Scala code through scala-logging, which is slf4j too), and the
 * few log4j-api calls it makes are routed to slf4j by {@code log4j-to-slf4j}; stripe-sync binds slf4j
 * to {@code java.util.logging}. At INFO one start and stop of the broker writes about 400 records, so
 * its logger trees start at WARNING. A level named in the logging configuration (for example
 * {@code org.apache.kafka.level=INFO} in {@code logging.properties}) wins; so this also decides the
 * level of {@code kafka-clients} in the same JVM unless the configuration names one. With another slf4j
 * binding these JUL levels have no effect: set the same levels in that backend.
 */
final class KafkaLogLevels {

    /** Kafka's logger trees: the Scala broker, its state-change log, and the Java broker and clients. */
    private static final List<Logger> KAFKA_LOGGERS = List.of(
            Logger.getLogger("kafka"),
            Logger.getLogger("state.change.logger"),
            Logger.getLogger("org.apache.kafka"));

    private KafkaLogLevels() {
    }

    /** Sets WARNING on each Kafka logger tree whose level the logging configuration does not name. */
    static void quietUnlessConfigured() {
        LogManager logManager = LogManager.getLogManager();
        for (Logger logger : KAFKA_LOGGERS) {
            if (logManager.getProperty(logger.getName() + ".level") == null && logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
    }
}
