package com.stripesync.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.application.sync.DeleteMode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings as the service reads them: the packaged {@code application.yaml} under whatever a process sets (the
 * environment maps {@code DB_POOL_SIZE} to {@code db.pool.size}, and so on; here a map stands in for it).
 */
class ServiceSettingsTest {

    private static ServiceSettings read(Map<String, String> set) {
        return ServiceSettings.from(Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(set), ConfigSources.classpath("application.yaml"))
                .build());
    }

    @Test
    void theDefaultsAreThoseTheReadmeNames() {
        ServiceSettings settings = read(Map.of());

        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.database()).isEmpty();
        assertThat(settings.dataDir().getFileName()).hasToString(".stripe-sync");
        assertThat(settings.dbPoolSize()).isEqualTo(2 * Runtime.getRuntime().availableProcessors() + 1)
                .isEqualTo(ServiceSettings.defaultPoolSize());
        assertThat(settings.kafka().bootstrapServers()).isEmpty();
        assertThat(settings.kafka().topicPrefix()).isEqualTo("stripe-sync.");
        assertThat(settings.kafka().partitions()).as("on the in-process broker").isEqualTo(1);
        assertThat(settings.kafka().replicationFactor()).isEqualTo((short) 1);
        assertThat(settings.stripe().api()).as("no secret key: outbound paused").isEmpty();
        assertThat(settings.stripe().webhooks()).as("no signing secret: webhooks refused").isEmpty();
        assertThat(settings.stripe().deleteMode()).isEqualTo(DeleteMode.DELETE);
        assertThat(settings.instanceId()).endsWith("-8080");
    }

    @Test
    void topicsOnAClusterHaveSixPartitionsByDefault() {
        ServiceSettings settings = read(Map.of("kafka.bootstrap.servers", "kafka.internal:9092"));

        assertThat(settings.kafka().partitions()).isEqualTo(6);
    }

    @Test
    void everySettingIsTakenFromWhatTheProcessSets() {
        ServiceSettings settings = read(Map.ofEntries(
                Map.entry("server.port", "9090"),
                Map.entry("db.url", "jdbc:postgresql://db.internal:5432/sync"),
                Map.entry("db.user", "sync"),
                Map.entry("db.password", "s3cret"),
                Map.entry("db.pool.size", "12"),
                Map.entry("kafka.bootstrap.servers", "kafka.internal:9092"),
                Map.entry("kafka.topic.prefix", "acme."),
                Map.entry("kafka.topic.partitions", "12"),
                Map.entry("kafka.replication.factor", "3"),
                Map.entry("stripe.secret.key", "sk_test_123"),
                Map.entry("stripe.api.base", "http://localhost:12111"),
                Map.entry("stripe.writes.per.second", "100"),
                Map.entry("stripe.reads.per.second", "90"),
                Map.entry("stripe.delete.mode", "unlink"),
                Map.entry("stripe.webhook.secret", "whsec_old, whsec_new"),
                Map.entry("stripe.webhook.tolerance.seconds", "60"),
                Map.entry("stripe.sync.instance.id", "worker-a")));

        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.database()).get().satisfies(database -> {
            assertThat(database.url()).isEqualTo("jdbc:postgresql://db.internal:5432/sync");
            assertThat(database.user()).isEqualTo("sync");
            assertThat(database.password()).isEqualTo("s3cret");
            assertThat(database.toString()).doesNotContain("s3cret");
        });
        assertThat(settings.dbPoolSize()).isEqualTo(12);
        assertThat(settings.kafka()).isEqualTo(new ServiceSettings.Kafka(java.util.Optional.of("kafka.internal:9092"),
                "acme.", 12, (short) 3));
        assertThat(settings.stripe().api()).get().satisfies(api -> {
            assertThat(api.apiBase()).isEqualTo(URI.create("http://localhost:12111"));
            assertThat(api.writesPerSecond()).isEqualTo(100);
            assertThat(api.readsPerSecond()).isEqualTo(90);
        });
        assertThat(settings.stripe().deleteMode()).isEqualTo(DeleteMode.UNLINK);
        assertThat(settings.stripe().webhooks()).get().satisfies(webhooks -> {
            assertThat(webhooks.secrets()).containsExactly("whsec_old", "whsec_new");
            assertThat(webhooks.tolerance()).isEqualTo(Duration.ofSeconds(60));
        });
        assertThat(settings.instanceId()).isEqualTo("worker-a");
    }

    @Test
    void processesOnAFreePortGetInstanceIdsOfTheirOwn() {
        String first = read(Map.of("server.port", "0")).instanceId();
        String second = read(Map.of("server.port", "0")).instanceId();

        assertThat(first).isNotEqualTo(second).contains("-0-");
        assertThat(read(Map.of("server.port", "8081")).instanceId())
                .isEqualTo(read(Map.of("server.port", "8081")).instanceId());
    }

    @Test
    void badValuesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> read(Map.of("stripe.delete.mode", "archive")))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("STRIPE_DELETE_MODE");
        assertThatThrownBy(() -> read(Map.of("db.pool.size", "0")))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("DB_POOL_SIZE");
        assertThatThrownBy(() -> read(Map.of("server.port", "http")))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("SERVER_PORT");
        assertThatThrownBy(() -> read(Map.of("kafka.topic.prefix", "a/b")))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("KAFKA_TOPIC_PREFIX");
        assertThatThrownBy(() -> read(Map.of("db.url", "jdbc:mysql://db/sync")))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("DB_URL");
        assertThatThrownBy(() -> read(Map.of("stripe.secret.key", "pk_test_123")))
                .isInstanceOf(InvalidSetting.class).hasMessageStartingWith("STRIPE_SECRET_KEY")
                .hasMessageNotContaining("pk_test_123");
    }
}
