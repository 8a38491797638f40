package com.stripesync.embedded.kafka;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run an {@link EmbeddedKafkaBroker}.
 *
 * @param dataDirectory     where the broker keeps its logs and KRaft metadata; a restart on the same
 *                          directory keeps topics and committed offsets
 * @param port              the client port on 127.0.0.1; {@code 0} picks a free port at each start
 * @param defaultPartitions partitions of a topic created without a count (auto-created or by clients)
 * @param fastTestTuning    trade durability and memory for speed: no fsync per write, small segments
 *                          and buffers; for tests only, where the data is thrown away
 */
public record EmbeddedKafkaSettings(Path dataDirectory, int port, int defaultPartitions, boolean fastTestTuning) {

    public EmbeddedKafkaSettings {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (a free port) or 1-65535, was " + port);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
        }
    }

    /** A throw-away broker for tests: free port, one partition per topic, tuned for speed. */
    public static EmbeddedKafkaSettings forTests(Path dataDirectory) {
        return new EmbeddedKafkaSettings(dataDirectory, 0, 1, true);
    }

    /**
     * The service's embedded default: free port (clients get {@link EmbeddedKafkaBroker#bootstrapServers()}
     * at each start), three partitions per topic, every write flushed to disk before it is acknowledged.
     */
    public static EmbeddedKafkaSettings forService(Path dataDirectory) {
        return new EmbeddedKafkaSettings(dataDirectory, 0, 3, false);
    }
}
