package com.stripesync.bootstrap.config;

import com.stripesync.application.sync.DeleteMode;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.persistence.DatabaseSettings;
import com.stripesync.stripe.connection.StripeSettings;
import com.stripesync.stripe.webhook.StripeWebhookSettings;
import io.helidon.config.Config;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything the service reads from its configuration. Each key can be set as an environment variable
 * (the README's table), a system property, or in {@code application.yaml}.
 *
 * @param port       {@code SERVER_PORT}, 0 for any free port
 * @param host       {@code SERVER_HOST}
 * @param database   {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}: absent means the embedded default
 * @param dataDir    {@code STRIPE_SYNC_DATA_DIR}: where the embedded defaults keep their data
 * @param dbPoolSize {@code DB_POOL_SIZE}, by default {@link #defaultPoolSize()}
 * @param kafka      {@code KAFKA_*}
 * @param stripe     {@code STRIPE_*}, rates included ({@code STRIPE_WRITES_PER_SECOND}, {@code STRIPE_READS_PER_SECOND})
 * @param instanceId {@code STRIPE_SYNC_INSTANCE_ID}: unique per process, stable across its restarts
 */
public record ServiceSettings(int port, String host, Optional<ExternalDatabase> database, Path dataDir, int dbPoolSize,
                              Kafka kafka, Stripe stripe, String instanceId) {

    public static final Duration DB_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** An external PostgreSQL; the password is never printed. */
    public record ExternalDatabase(String url, String user, @Nullable String password) {

        @Override
        public String toString() {
            return "ExternalDatabase[url=" + DatabaseSettings.redact(url) + ", user=" + user + "]";
        }
    }

    /**
     * Partitions of the topics created on the in-process broker, unless {@code KAFKA_TOPIC_PARTITIONS} says
     * otherwise. Its one process is the only consumer, which spreads the work over per-customer lanes whatever the
     * partitions, and the broker flushes each partition a write touches to disk before acknowledging it (it holds
     * the only copy): a produce request spread over 6 partitions cost 6 flushes, which held the webhook endpoint
     * to about 2,500 events a second at 32 concurrent senders, where one partition took 3,100 (one benchmark run
     * each). A cluster keeps {@link KafkaSettings#DEFAULT_PARTITIONS}: there, partitions are what several worker
     * processes share.
     */
    public static final int EMBEDDED_PARTITIONS = 1;

    /** Kafka: {@code bootstrapServers} absent means the in-process broker of the embedded default. */
    public record Kafka(Optional<String> bootstrapServers, String topicPrefix, int partitions, short replicationFactor) {
    }

    /**
     * Stripe: {@code api} absent (no secret key) means the sync with Stripe is paused; {@code webhooks}
     * absent (no signing secret) means the webhook endpoint refuses every event.
     */
    public record Stripe(Optional<StripeSettings> api, DeleteMode deleteMode, Optional<StripeWebhookSettings> webhooks) {
    }

    public static ServiceSettings from(Config config) {
        int port = integer(config, "server.port", "SERVER_PORT", 8080, 0, 65_535);
        String host = text(config, "server.host").orElse("0.0.0.0");
        Optional<ExternalDatabase> database = text(config, "db.url").map(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new InvalidSetting("DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got: "
                        + DatabaseSettings.redact(url));
            }
            return new ExternalDatabase(url, text(config, "db.user").orElse("postgres"),
                    text(config, "db.password").orElse(null));
        });
        Path dataDir = Path.of(text(config, "stripe.sync.data.dir").orElse("./.stripe-sync")).toAbsolutePath().normalize();
        int poolSize = integer(config, "db.pool.size", "DB_POOL_SIZE", defaultPoolSize(), 1, 200);
        Optional<String> bootstrapServers = text(config, "kafka.bootstrap.servers");
        Kafka kafka = new Kafka(bootstrapServers,
                topicPrefix(text(config, "kafka.topic.prefix").orElse("stripe-sync.")),
                integer(config, "kafka.topic.partitions", "KAFKA_TOPIC_PARTITIONS",
                        bootstrapServers.isPresent() ? KafkaSettings.DEFAULT_PARTITIONS : EMBEDDED_PARTITIONS, 1, 1_000),
                (short) integer(config, "kafka.replication.factor", "KAFKA_REPLICATION_FACTOR", 1, 1, 32));
        Stripe stripe = new Stripe(stripeApi(config), deleteMode(text(config, "stripe.delete.mode").orElse("delete")),
                webhooks(config));
        String instanceId = text(config, "stripe.sync.instance.id").orElseGet(() -> defaultInstanceId(port));
        return new ServiceSettings(port, host, database, dataDir, poolSize, kafka, stripe, instanceId);
    }

    /**
     * Two connections per core and one more (5 on 2 cores): PostgreSQL does no more work at once than its cores
     * and disk allow, and each connection beyond that only adds switching. The outbound worker holds one only to
     * record an outcome (never during a Stripe call), the relay one per batch, the inbound worker one per batch.
     */
    public static int defaultPoolSize() {
        return 2 * Runtime.getRuntime().availableProcessors() + 1;
    }

    private static Optional<StripeSettings> stripeApi(Config config) {
        Optional<String> key = text(config, "stripe.secret.key");
        if (key.isEmpty()) {
            return Optional.empty();
        }
        // Stripe's limits per account: 25 writes and 25 reads a second in test mode; live-mode users raise both
        // to 100 (divided among processes that share the key).
        int writesPerSecond = integer(config, "stripe.writes.per.second", "STRIPE_WRITES_PER_SECOND",
                StripeSettings.DEFAULT_WRITES_PER_SECOND, 1, StripeSettings.MAX_REQUESTS_PER_SECOND);
        int readsPerSecond = integer(config, "stripe.reads.per.second", "STRIPE_READS_PER_SECOND",
                StripeSettings.DEFAULT_READS_PER_SECOND, 1, StripeSettings.MAX_REQUESTS_PER_SECOND);
        try {
            StripeSettings settings = StripeSettings.of(key.get()).withRates(writesPerSecond, readsPerSecond);
            Optional<String> apiBase = text(config, "stripe.api.base");
            return Optional.of(apiBase.isEmpty() ? settings : settings.withApiBase(URI.create(apiBase.get())));
        } catch (IllegalArgumentException e) {
            // StripeSettings' messages never repeat the key.
            throw new InvalidSetting("STRIPE_SECRET_KEY/STRIPE_API_BASE: " + e.getMessage());
        }
    }

    private static Optional<StripeWebhookSettings> webhooks(Config config) {
        int toleranceSeconds = integer(config, "stripe.webhook.tolerance.seconds", "STRIPE_WEBHOOK_TOLERANCE_SECONDS",
                300, 1, 86_400);
        try {
            return StripeWebhookSettings.parseIfConfigured(text(config, "stripe.webhook.secret").orElse(null),
                    Duration.ofSeconds(toleranceSeconds));
        } catch (IllegalArgumentException e) {
            // StripeWebhookSettings' messages never repeat a secret.
            throw new InvalidSetting("STRIPE_WEBHOOK_SECRET: " + e.getMessage());
        }
    }

    private static DeleteMode deleteMode(String text) {
        try {
            return DeleteMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting("STRIPE_DELETE_MODE: " + e.getMessage());
        }
    }

    private static String topicPrefix(String prefix) {
        if (!prefix.matches("[A-Za-z0-9._-]{0,100}")) {
            throw new InvalidSetting("KAFKA_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-', got: " + prefix);
        }
        return prefix;
    }

    /**
     * Host name and port: unique per process on a network, and the same after a restart (for Kafka static
     * membership). On port 0 (a free port drawn at start) every process on a host would share it, so a random
     * suffix keeps them apart; such a process rejoins under a new id after a restart.
     */
    private static String defaultInstanceId(int port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String suffix = port == 0 ? "-" + UUID.randomUUID().toString().substring(0, 8) : "";
        return (host + "-" + port + suffix).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    private static Optional<String> text(Config config, String key) {
        return config.get(key).asString().asOptional().map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int integer(Config config, String key, String variable, int fallback, int min, int max) {
        Optional<String> raw = text(config, key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidSetting(variable + " must be a whole number from " + min + " to " + max + ", got: " + raw.get());
        }
    }
}
