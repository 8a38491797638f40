package com.stripesync.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaSettingsTest {

    private static final Path DIRECTORY = Path.of("build-data", "kafka");

    @Test
    void portAndPartitionsOutOfRangeAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EmbeddedKafkaSettings(DIRECTORY, 65_536, 1, true));
        assertThatIllegalArgumentException().isThrownBy(() -> new EmbeddedKafkaSettings(DIRECTORY, -1, 1, true));
        assertThatIllegalArgumentException().isThrownBy(() -> new EmbeddedKafkaSettings(DIRECTORY, 0, 0, true));
    }

    @Test
    void dataDirectoryIsMadeAbsolute() {
        assertThat(EmbeddedKafkaSettings.forTests(DIRECTORY).dataDirectory()).isAbsolute();
    }

    @Test
    void serviceBrokerFlushesEveryWriteAndTestBrokerLeavesItToThePageCache() {
        Map<String, String> service = config(EmbeddedKafkaSettings.forService(DIRECTORY));
        Map<String, String> tests = config(EmbeddedKafkaSettings.forTests(DIRECTORY));

        assertThat(service).containsEntry("log.flush.interval.messages", "1").containsEntry("num.partitions", "3")
                .containsEntry("log.index.interval.bytes", "1048576");
        assertThat(tests).doesNotContainKey("log.flush.interval.messages").containsEntry("num.partitions", "1");
    }

    @Test
    void bothTuningsRestartQuicklyAfterAKillAndUseOneReplica() {
        for (EmbeddedKafkaSettings settings : new EmbeddedKafkaSettings[] {
                EmbeddedKafkaSettings.forService(DIRECTORY), EmbeddedKafkaSettings.forTests(DIRECTORY)}) {
            assertThat(config(settings))
                    .containsEntry("broker.session.timeout.ms", "2000")
                    .containsEntry("broker.heartbeat.interval.ms", "500")
                    .containsEntry("group.initial.rebalance.delay.ms", "0")
                    .containsEntry("offsets.topic.replication.factor", "1")
                    .containsEntry("offsets.topic.num.partitions", "1")
                    .containsEntry("log.dirs", settings.dataDirectory().resolve("logs").toString());
        }
    }

    private static Map<String, String> config(EmbeddedKafkaSettings settings) {
        return EmbeddedKafkaBroker.brokerConfig(settings, settings.dataDirectory().resolve("logs"), 9092, 9093);
    }
}
