package com.stripesync.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service JVM running the embedded broker dies with {@code kill -9}; the next start on the same data
 * directory must come up and its static consumer must get its partition back and resume after the last
 * commit. Prints the measured times; asserts only the behaviour.
 */
class KilledBrokerRestartTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(KilledBrokerRestartTest.class.getName());

    private static final String TOPIC = "outbox";
    private static final String GROUP = "relay";
    private static final String INSTANCE = "relay-1";

    @TempDir
    Path workDirectory;

    private Process child;

    @AfterEach
    void killChildIfLeft() {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
        }
    }

    @Test
    void brokerKilledWithItsJvmRestartsOnTheSameDirectoryAndTheStaticMemberResumes() throws Exception {
        Path dataDirectory = workDirectory.resolve("kafka");
        Path childLog = workDirectory.resolve("child.log");
        child = startChild(dataDirectory, childLog);
        await("child JVM consumed and committed").atMost(Duration.ofSeconds(90))
                .until(() -> Files.exists(childLog) && Files.readString(childLog).contains(BrokerProcessMain.COMMITTED));

        child.destroyForcibly();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child JVM gone after SIGKILL").isTrue();
        assertThat(dataDirectory.resolve("logs/.lock")).as("Kafka's lock file is left behind; only the OS lock mattered").exists();

        long restart = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forService(dataDirectory))) {
            long brokerReady = System.nanoTime();
            TestClients.send(broker.bootstrapServers(), TOPIC, List.of("after-1", "after-2"));

            try (KafkaConsumer<String, String> consumer = TestClients.consumer(broker.bootstrapServers(), GROUP, Optional.of(INSTANCE))) {
                consumer.subscribe(List.of(TOPIC));
                long subscribed = System.nanoTime();
                List<String> received = new ArrayList<>();
                long[] assigned = {0};
                await("partition assigned and new records consumed").atMost(Duration.ofSeconds(60)).pollInSameThread().pollDelay(Duration.ZERO)
                        .until(() -> {
                            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                                received.add(record.value());
                            }
                            if (assigned[0] == 0 && !consumer.assignment().isEmpty()) {
                                assigned[0] = System.nanoTime();
                            }
                            return received.size() >= 2;
                        });

                assertThat(received).as("resumes after the last commit of the killed JVM").containsExactly("after-1", "after-2");
                FIGURES.info(String.format("kill -9 restart: broker ready %d ms after start; static member assigned %d ms after subscribe (%d ms after start)%n",
                        millis(restart, brokerReady), millis(subscribed, assigned[0]), millis(restart, assigned[0])));
            }
        }
    }

    private static Process startChild(Path dataDirectory, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BrokerProcessMain.class.getName(), dataDirectory.toString(), TOPIC, GROUP, INSTANCE);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
