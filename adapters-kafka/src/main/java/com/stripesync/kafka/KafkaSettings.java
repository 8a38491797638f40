package com.stripesync.kafka;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the Kafka cluster is and how this service uses it.
 *
 * @param bootstrapServers  {@code host:port[,host:port...]} of the cluster
 * @param topicPrefix       put in front of every topic and consumer group name ({@code "stripe-sync."} by
 *                          default), so several installations can share a cluster; Kafka's topic characters
 *                          only ({@code a-z A-Z 0-9 . _ -}), may be empty
 * @param partitions        partitions of the topics this service creates (6 by default): the most workers per
 *                          system that can share the work
 * @param replicationFactor replicas of the topics this service creates (1 by default, for a single broker;
 *                          3 on a production cluster)
 * @param instanceId        unique per running process (a host or pod name): names its clients
 *                          ({@code client.id}) and its static group membership ({@code group.instance.id}),
 *                          so a restarted process gets its partitions back at once. Two live processes with
 *                          one id fence each other.
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int partitions, short replicationFactor,
                            String instanceId) {

    public static final String DEFAULT_TOPIC_PREFIX = "stripe-sync.";
    public static final int DEFAULT_PARTITIONS = 6;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;

    /** Kafka allows 249 characters; the longest name we derive adds 21 characters and a 32-character system name. */
    static final int MAX_PREFIX_LENGTH = 196;

    private static final Pattern TOPIC_CHARACTERS = Pattern.compile("[a-zA-Z0-9._-]*");
    private static final Pattern INSTANCE_ID = Pattern.compile("[a-zA-Z0-9._-]{1,100}");
    private static final Pattern SERVER = Pattern.compile("[^\\s,]+:\\d{1,5}");

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(instanceId, "instanceId");
        bootstrapServers = bootstrapServers.strip();
        if (bootstrapServers.isEmpty() || !Arrays.stream(bootstrapServers.split(",", -1)).map(String::strip)
                .allMatch(server -> SERVER.matcher(server).matches())) {
            throw new IllegalArgumentException("Kafka bootstrap servers are host:port[,host:port...], not '" + bootstrapServers + "'");
        }
        if (!TOPIC_CHARACTERS.matcher(topicPrefix).matches() || topicPrefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("a Kafka topic prefix is at most " + MAX_PREFIX_LENGTH
                    + " of the characters a-z A-Z 0-9 . _ -, not '" + topicPrefix + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Kafka topics need at least 1 partition, not " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("Kafka topics need a replication factor of at least 1, not " + replicationFactor);
        }
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("a Kafka instance id is 1-100 of the characters a-z A-Z 0-9 . _ -, not '" + instanceId + "'");
        }
    }

    /** The defaults: prefix {@value #DEFAULT_TOPIC_PREFIX}, {@value #DEFAULT_PARTITIONS} partitions, replication factor 1. */
    public static KafkaSettings of(String bootstrapServers, String instanceId) {
        return new KafkaSettings(bootstrapServers, DEFAULT_TOPIC_PREFIX, DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR, instanceId);
    }

    public KafkaSettings withTopicPrefix(String prefix) {
        return new KafkaSettings(bootstrapServers, prefix, partitions, replicationFactor, instanceId);
    }

    public KafkaSettings withPartitions(int count) {
        return new KafkaSettings(bootstrapServers, topicPrefix, count, replicationFactor, instanceId);
    }

    public KafkaSettings withInstanceId(String id) {
        return new KafkaSettings(bootstrapServers, topicPrefix, partitions, replicationFactor, id);
    }
}
