package com.stripesync.embedded.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The stand-in for a service process killed in {@link KilledBrokerRestartTest}: an embedded broker and a
 * static consumer group member in one JVM that commits what it consumed, says so on stdout, and keeps
 * polling until it is killed.
 *
 * <p>Arguments: data directory, topic, group id, group instance id.
 */
public final class BrokerProcessMain {

    static final String COMMITTED = "COMMITTED";
    static final List<String> RECORDS_BEFORE_KILL = List.of("before-1", "before-2", "before-3");

    private BrokerProcessMain() {
    }

    public static void main(String[] args) {
        Path dataDirectory = Path.of(args[0]);
        String topic = args[1];
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forService(dataDirectory));
        TestClients.createTopic(broker.bootstrapServers(), topic, 1);
        TestClients.send(broker.bootstrapServers(), topic, RECORDS_BEFORE_KILL);
        KafkaConsumer<String, String> consumer = TestClients.consumer(broker.bootstrapServers(), args[2], Optional.of(args[3]));
        consumer.subscribe(List.of(topic));
        TestClients.pollAndCommit(consumer, RECORDS_BEFORE_KILL.size(), Duration.ofSeconds(60));
        System.out.println(COMMITTED);
        System.out.flush();
        while (true) {
            consumer.poll(Duration.ofMillis(500));
        }
    }
}
