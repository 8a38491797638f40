package com.stripesync.kafka.topic;

import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.ClientConfigs;
import com.stripesync.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the sync's topics at start-up, before the publisher, the webhook queue or a worker needs them: the
 * changes topic, and per system its dead-letter topic, its inbound topic and the inbound dead-letter topic
 * ({@link SyncTopics}), with the configured partitions and replication.
 * Topics that exist already are left as they are (a partition count other than the configured one is
 * logged, never changed: adding partitions would move customers to other partitions and break their order).
 */
public final class KafkaTopicAdmin {

    /** Longest the whole operation waits for the cluster, in seconds. */
    static final long TIMEOUT_SECONDS = 10;
    static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
    /** A refused change or event waits in its dead-letter topic for somebody to look at it; longer than a long holiday. */
    static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);
    private static final Duration LEADER_POLL = Duration.ofMillis(50);

    private static final System.Logger LOG = System.getLogger(KafkaTopicAdmin.class.getName());

    private KafkaTopicAdmin() {
    }

    /**
     * Creates whichever of the changes topic and the dead-letter, inbound and inbound dead-letter topics of
     * {@code systems} are missing.
     *
     * @throws IllegalStateException when the cluster does not answer within {@value #TIMEOUT_SECONDS} s (the
     *                               message names the bootstrap servers) or refuses to create a topic
     */
    public static void ensureTopics(KafkaSettings settings, Collection<SystemName> systems) {
        ensureTopics(settings, systems, TIMEOUT);
    }

    static void ensureTopics(KafkaSettings settings, Collection<SystemName> systems, Duration timeout) {
        SyncTopics topics = SyncTopics.of(settings);
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(newTopic(settings, topics.changes(), Map.of()));
        Map<String, String> deadLetterConfig = Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(DEAD_LETTER_RETENTION.toMillis()));
        systems.stream().distinct().forEach(system -> {
            wanted.add(newTopic(settings, topics.deadLetter(system), deadLetterConfig));
            // The broker's retention (7 days by default) outlasts Stripe's own retries of a webhook (3 days).
            wanted.add(newTopic(settings, topics.inbound(system), Map.of()));
            wanted.add(newTopic(settings, topics.inboundDeadLetter(system), deadLetterConfig));
        });

        long deadline = System.nanoTime() + timeout.toNanos();
        Admin admin = Admin.create(ClientConfigs.admin(settings, "topic-admin", timeout));
        try {
            Map<String, KafkaFuture<Void>> results = admin
                    .createTopics(wanted, new CreateTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .values();
            List<String> created = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        existing.add(result.getKey());
                    } else {
                        throw failure(settings, "cannot create the Kafka topic " + result.getKey(), e.getCause());
                    }
                }
            }
            if (!created.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, () -> "Created Kafka topics " + created + " with " + settings.partitions()
                        + " partitions, replication factor " + settings.replicationFactor());
            }
            Map<String, TopicDescription> descriptions = awaitLeaders(admin, settings, wanted.stream().map(NewTopic::name).toList(), deadline);
            warnAboutOtherPartitionCounts(settings, existing, descriptions);
        } catch (TimeoutException e) {
            throw failure(settings, "Kafka did not answer within " + timeout.toSeconds() + " s while creating topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics at " + settings.bootstrapServers(), e);
        } finally {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private static NewTopic newTopic(KafkaSettings settings, String name, Map<String, String> extraConfig) {
        Map<String, String> config = new LinkedHashMap<>(extraConfig);
        // With acks=all this is how many replicas must hold a record before it counts as written.
        config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, Math.max(1, settings.replicationFactor() - 1))));
        return new NewTopic(name, Optional.of(settings.partitions()), Optional.of(settings.replicationFactor())).configs(config);
    }

    /**
     * Waits until every partition of every topic has a leader that serves it. A topic just created shows its
     * leader in the cluster's metadata a moment before that broker acts as the leader; a write in between is
     * answered NOT_LEADER_OR_FOLLOWER, and an idempotent producer retrying several such writes at once can end
     * in OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout. So after the metadata names a leader for each
     * partition, each partition's latest offset is asked for: only the acting leader answers that.
     */
    private static Map<String, TopicDescription> awaitLeaders(Admin admin, KafkaSettings settings, List<String> names,
                                                                long deadline)
            throws InterruptedException, TimeoutException {
        Map<String, TopicDescription> descriptions = awaitLeadersInMetadata(admin, settings, names, deadline);
        Map<TopicPartition, OffsetSpec> everyPartition = new HashMap<>();
        descriptions.values().forEach(topic -> topic.partitions().forEach(partition ->
                everyPartition.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        try {
            // The admin client asks again, after a metadata refresh, while a partition answers NOT_LEADER_OR_FOLLOWER.
            admin.listOffsets(everyPartition).all().get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw failure(settings, "cannot read the latest offsets of the Kafka topics " + names, e.getCause());
        }
        return descriptions;
    }

    private static Map<String, TopicDescription> awaitLeadersInMetadata(Admin admin, KafkaSettings settings,
                                                                         List<String> names, long deadline)
            throws InterruptedException, TimeoutException {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
                if (descriptions.values().stream().allMatch(topic -> topic.partitions().stream().allMatch(p -> p.leader() != null))) {
                    return descriptions;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure(settings, "cannot describe the Kafka topics " + names, e.getCause());
                }
            }
            if (remainingNanos(deadline) == 0) {
                throw new TimeoutException("topics without leaders");
            }
            Thread.sleep(LEADER_POLL.toMillis());
        }
    }

    private static void warnAboutOtherPartitionCounts(KafkaSettings settings, List<String> existing,
                                                      Map<String, TopicDescription> descriptions) {
        existing.stream().map(descriptions::get)
                .filter(description -> description != null && description.partitions().size() != settings.partitions())
                .forEach(description -> LOG.log(System.Logger.Level.WARNING, "Kafka topic " + description.name() + " has "
                        + description.partitions().size() + " partitions, not the configured " + settings.partitions()
                        + "; left as it is"));
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static IllegalStateException failure(KafkaSettings settings, String what, Throwable cause) {
        String hint = cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                ? " (is Kafka running and reachable at " + settings.bootstrapServers() + "?)"
                : " at " + settings.bootstrapServers();
        return new IllegalStateException(what + hint + ": " + cause.getMessage(), cause);
    }
}
