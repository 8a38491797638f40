package com.stripesync.bootstrap.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.bootstrap.config.ServiceSettings;
import com.stripesync.bootstrap.service.RunningService;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.postgres.TestDatabase;
import com.stripesync.testing.postgres.TestDatabases;
import com.stripesync.testing.stripe.FakeStripe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code worker} role as separate processes (the packaged jar) against one external PostgreSQL and
 * Kafka: one joining while changes are in flight shares the work through their consumer group, and the survivor
 * takes it all over when the other is killed while changes are in flight.
 */
class TwoWorkerProcessesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void aWorkerJoiningMidStreamSharesTheSyncAndTheSurvivorTakesOverWhenTheOtherIsKilledMidStream() throws Exception {
        TestDatabase database = TestDatabases.freshSchema();
        String topicPrefix = SharedKafka.freshTopicPrefix();
        String group = topicPrefix + "sync.stripe";
        try (FakeStripe stripe = FakeStripe.start();
             RunningService api = RunningService.over(database,
                     new ServiceSettings.Stripe(Optional.empty(), DeleteMode.DELETE, Optional.empty()), topicPrefix)) {
            ServiceProcess first = worker(database, topicPrefix, stripe, "worker-a");
            ServiceProcess second = null;
            try {
                awaitHealthy(first);
                // A slow Stripe keeps changes in flight while the second worker joins and while the first is killed.
                stripe.faults().latency(Duration.ofMillis(200));
                List<String> all = new ArrayList<>(register(api, 40));
                await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().anyMatch(id -> inStripe(stripe, id) == 1));

                second = worker(database, topicPrefix, stripe, "worker-b");
                awaitHealthy(second);
                all.addAll(register(api, 40));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(partitionsHeld(group))
                        .as("partitions per worker").containsOnlyKeys("worker-a-stripe", "worker-b-stripe"));

                List<String> last = register(api, 40);
                all.addAll(last);
                await().atMost(Duration.ofSeconds(30)).until(() -> last.stream().anyMatch(id -> inStripe(stripe, id) == 1));
                first.kill();
                // The killed worker's calls in flight may have reached Stripe unrecorded: the survivor, which takes its
                // partitions after the session timeout, records them (same idempotency keys, no second customer).
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> all.stream().allMatch(id -> "SYNCED".equals(status(api, id))));
                assertThat(all).allSatisfy(id -> assertThat(inStripe(stripe, id)).as("Stripe customers for %s", id).isEqualTo(1));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(partitionsHeld(group))
                        .as("the survivor holds every partition").isEqualTo(Map.of("worker-b-stripe", 3)));
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    private ServiceProcess worker(TestDatabase database, String topicPrefix, FakeStripe stripe, String instanceId) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(ServiceProcess.freePort()));
        env.put("DB_URL", database.jdbcUrl());
        env.put("DB_USER", database.user());
        env.put("DB_PASSWORD", database.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers());
        env.put("KAFKA_TOPIC_PREFIX", topicPrefix);
        env.put("KAFKA_TOPIC_PARTITIONS", "3");
        env.put("STRIPE_SECRET_KEY", "sk_test_stripe_sync");
        env.put("STRIPE_API_BASE", stripe.apiBase());
        env.put("STRIPE_SYNC_INSTANCE_ID", instanceId);
        return ServiceProcess.start(env, workDir.resolve(instanceId + ".log"), "worker");
    }

    private static void awaitHealthy(ServiceProcess service) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("the worker exited: " + service.output(), () -> !service.process().isAlive())
                .until(() -> service.healthStatus() == 200);
    }

    private static List<String> register(RunningService api, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> created = api.postJson("/api/customers",
                    "{\"name\":\"Worker Test " + i + "\",\"email\":\"worker-" + UUID.randomUUID() + "@example.com\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add(JSON.readTree(created.body()).path("id").asText());
        }
        return ids;
    }

    private static String status(RunningService api, String id) {
        try {
            return JSON.readTree(api.get("/api/customers/" + id).body()).path("links").path("stripe").path("status").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long inStripe(FakeStripe stripe, String id) {
        return stripe.customers().stream().filter(customer -> id.equals(customer.metadata().get("stripe_sync_id"))).count();
    }

    /** Partitions held per member of the group, by instance id; members without any are left out. */
    private static Map<String, Integer> partitionsHeld(String group) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Map<String, Integer> held = new HashMap<>();
            for (MemberDescription member : description.members()) {
                int partitions = member.assignment().topicPartitions().size();
                if (partitions > 0) {
                    held.put(member.groupInstanceId().orElse(member.consumerId()), partitions);
                }
            }
            return held;
        }
    }
}
