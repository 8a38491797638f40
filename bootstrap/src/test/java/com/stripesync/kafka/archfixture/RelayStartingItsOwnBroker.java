package com.stripesync.kafka.archfixture;

import com.stripesync.embedded.kafka.EmbeddedKafkaBroker;
import com.stripesync.embedded.kafka.EmbeddedKafkaSettings;
import java.nio.file.Path;

/** Breaks "only bootstrap starts embedded infrastructure": a production adapter starting an in-process broker. */
public final class RelayStartingItsOwnBroker {

    public String start(Path dir) {
        return EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(dir)).bootstrapServers();
    }
}
