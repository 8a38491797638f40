package com.stripesync.testing.kafka;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The Kafka broker shared by all tests of one JVM, started on first use and stopped at JVM exit.
 *
 * <p>Which broker: an external one when {@code -Dtest.kafka.bootstrap=host:port} (or the environment
 * variable {@code TEST_KAFKA_BOOTSTRAP}) is set; Testcontainers' {@code apache/kafka} image when
 * {@code -Dtest.infra=containers} (the image can be changed with {@code -Dtest.kafka.image}); otherwise
 * the in-process broker of {@code embedded-kafka}, with its data in a temporary directory.
 *
 * <p>Isolation: tests share the broker, so each test (or test class) takes its own names from
 * {@link #freshTopicPrefix()} for topics and consumer groups alike:
 * <pre>{@code
 * String prefix = SharedKafka.freshTopicPrefix();
 * SharedKafka.createTopics(3, prefix + "customer-changes");
 * consumerConfig.put(GROUP_ID_CONFIG, prefix + "relay");
 * }</pre>
 */
public final class SharedKafka {

    private static final int PREFIX_BYTES = 6;

    private SharedKafka() {
    }

    /** {@code host:port[,host:port]} of the shared broker; starts it on the first call. */
    public static String bootstrapServers() {
        return Started.KAFKA.get().bootstrapServers();
    }

    /** Which broker the tests run against, for test output. */
    public static String description() {
        return Started.KAFKA.get().description();
    }

    /**
     * A prefix no other call in any JVM is expected to return, such as {@code test-3fa81c09d2be-}: put it
     * in front of the topic names and consumer group ids of one test.
     */
    public static String freshTopicPrefix() {
        byte[] random = new byte[PREFIX_BYTES];
        ThreadLocalRandom.current().nextBytes(random);
        return "test-" + HexFormat.of().formatHex(random) + "-";
    }

    /**
     * Creates the topics with {@code partitions} partitions each and the broker's default replication,
     * waiting until the broker has accepted them.
     *
     * @throws IllegalStateException when a topic exists already or the broker refuses
     */
    public static void createTopics(int partitions, String... topics) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (topics.length == 0) {
            throw new IllegalArgumentException("name at least one topic");
        }
        List<NewTopic> newTopics = Arrays.stream(topics)
                .map(topic -> new NewTopic(topic, Optional.of(partitions), Optional.empty()))
                .toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + List.of(topics) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not create topics " + List.of(topics) + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + List.of(topics), e);
        }
    }

    /**
     * Started by the JVM on first access to {@code KAFKA}, exactly once, whichever thread gets there first.
     * A start that failed is reported again to every later caller, not as a bare {@code NoClassDefFoundError}.
     */
    private static final class Started {
        static final Supplier<RunningKafka> KAFKA = startOrRememberFailure(KafkaSource.fromThisJvm());

        private static Supplier<RunningKafka> startOrRememberFailure(KafkaSource source) {
            try {
                RunningKafka running = source.start();
                return () -> running;
            } catch (RuntimeException e) {
                return () -> {
                    throw new IllegalStateException("the shared test Kafka (" + source + ") did not start: " + e.getMessage(), e);
                };
            }
        }
    }
}
