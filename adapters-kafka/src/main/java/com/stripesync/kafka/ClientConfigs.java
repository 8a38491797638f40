package com.stripesync.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The client settings every part of this adapter shares, stated explicitly rather than left to the defaults
 * of whichever kafka-clients version is on the class path. The 4.x defaults would let a call hang for a
 * minute ({@code max.block.ms}) or a record wait two minutes for its acknowledgement
 * ({@code delivery.timeout.ms}); here both are bounded in seconds.
 */
public final class ClientConfigs {

    /** Longest a {@code send} waits for metadata (an unreachable broker, a missing topic) or buffer space. */
    public static final Duration MAX_BLOCK = Duration.ofSeconds(10);
    /** Longest one request waits for its answer before the client retries it. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Longest a record may take from {@code send} to its acknowledgement, retries included. */
    public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(15);
    static final Duration LINGER = Duration.ofMillis(5);

    private ClientConfigs() {
    }

    /** {@code <instanceId>-<role>}: which process, and which of its clients, in broker logs and metrics. */
    public static String clientId(KafkaSettings settings, String role) {
        return settings.instanceId() + "-" + role;
    }

    /**
     * A producer of byte-array keys and values that loses nothing it acknowledged and duplicates nothing by
     * its own retries: every in-sync replica acknowledges ({@code acks=all}), retries are idempotent, and at
     * most 5 requests in flight keep each partition's order.
     */
    public static Map<String, Object> reliableProducer(KafkaSettings settings, String role) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(settings, role));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        // Must be at least linger.ms + request.timeout.ms, or the producer refuses to start.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) LINGER.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** An admin client whose every call gives up after {@code timeout}. */
    public static Map<String, Object> admin(KafkaSettings settings, String role, Duration timeout) {
        int millis = (int) timeout.toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId(settings, role));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, 200);
        return config;
    }
}
