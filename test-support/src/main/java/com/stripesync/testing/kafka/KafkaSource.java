package com.stripesync.testing.kafka;

import com.stripesync.embedded.kafka.EmbeddedKafkaBroker;
import com.stripesync.embedded.kafka.EmbeddedKafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Where the tests' broker comes from, chosen once per JVM from system properties and the environment. */
sealed interface KafkaSource {

    String BOOTSTRAP_PROPERTY = "test.kafka.bootstrap";
    String BOOTSTRAP_ENVIRONMENT = "TEST_KAFKA_BOOTSTRAP";
    String INFRA_PROPERTY = "test.infra";
    String IMAGE_PROPERTY = "test.kafka.image";
    /** The image of the broker version the service is built against. */
    String DEFAULT_IMAGE = "apache/kafka:4.4.0";

    /** A broker somebody else runs; nothing to start or stop. */
    record External(String bootstrapServers) implements KafkaSource {
        @Override
        public RunningKafka start() {
            return new RunningKafka(bootstrapServers, "external Kafka at " + bootstrapServers);
        }
    }

    /** Testcontainers' {@code apache/kafka} image; needs Docker. */
    record Containers(String image) implements KafkaSource {
        @Override
        public RunningKafka start() {
            KafkaContainer container = new KafkaContainer(DockerImageName.parse(image));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "shared-kafka-container-stop"));
            return new RunningKafka(container.getBootstrapServers(), "Testcontainers Kafka " + image);
        }
    }

    /** The in-process broker of {@code embedded-kafka} in a temporary directory deleted at JVM exit. */
    record Embedded() implements KafkaSource {
        @Override
        public RunningKafka start() {
            Path dataDirectory;
            try {
                dataDirectory = Files.createTempDirectory("stripe-sync-test-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the test Kafka", e);
            }
            EmbeddedKafkaBroker broker;
            try {
                broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(dataDirectory));
            } catch (RuntimeException e) {
                deleteRecursively(dataDirectory);
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                deleteRecursively(dataDirectory);
            }, "shared-kafka-embedded-stop"));
            return new RunningKafka(broker.bootstrapServers(), "embedded Kafka at " + broker.bootstrapServers() + " in " + dataDirectory);
        }
    }

    RunningKafka start();

    /**
     * An external broker when {@code -Dtest.kafka.bootstrap} (or {@code TEST_KAFKA_BOOTSTRAP}) names one;
     * else Testcontainers when {@code -Dtest.infra=containers}; else the embedded broker.
     */
    static KafkaSource choose(Function<String, @Nullable String> systemProperties, Function<String, @Nullable String> environment) {
        String external = firstNonBlank(systemProperties.apply(BOOTSTRAP_PROPERTY), environment.apply(BOOTSTRAP_ENVIRONMENT));
        if (external != null) {
            return new External(external.strip());
        }
        if ("containers".equals(systemProperties.apply(INFRA_PROPERTY))) {
            String image = systemProperties.apply(IMAGE_PROPERTY);
            return new Containers(image == null || image.isBlank() ? DEFAULT_IMAGE : image.strip());
        }
        return new Embedded();
    }

    static KafkaSource fromThisJvm() {
        return choose(System::getProperty, System::getenv);
    }

    private static @Nullable String firstNonBlank(@Nullable String first, @Nullable String second) {
        return Stream.of(first, second).filter(value -> value != null && !value.isBlank()).findFirst().orElse(null);
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // At JVM exit nobody can act on this but the person reading the output.
            System.err.println("Could not delete the test Kafka directory " + directory + ": " + e);
        }
    }
}
