package com.stripesync.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class KafkaLogLevelsTest {

    @Test
    void kafkaLoggerTreesStartAtWarning() {
        KafkaLogLevels.quietUnlessConfigured();

        assertThat(Logger.getLogger("kafka.server.BrokerServer").isLoggable(Level.INFO)).isFalse();
        assertThat(Logger.getLogger("org.apache.kafka.controller.QuorumController").isLoggable(Level.INFO)).isFalse();
        assertThat(Logger.getLogger("org.apache.kafka.controller.QuorumController").isLoggable(Level.WARNING)).isTrue();
        assertThat(Logger.getLogger("com.stripesync.embedded.kafka.EmbeddedKafkaBroker").isLoggable(Level.INFO)).isTrue();
    }

    @Test
    void levelChosenByTheApplicationIsKept() {
        Logger stateChange = Logger.getLogger("state.change.logger");
        Level before = stateChange.getLevel();
        try {
            stateChange.setLevel(Level.FINE);

            KafkaLogLevels.quietUnlessConfigured();

            assertThat(stateChange.getLevel()).isEqualTo(Level.FINE);
        } finally {
            stateChange.setLevel(before);
        }
    }
}
