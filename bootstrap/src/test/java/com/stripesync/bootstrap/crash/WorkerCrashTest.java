package com.stripesync.bootstrap.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.sync.ChangeSynchronizer;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.application.sync.RetryPolicy;
import com.stripesync.application.sync.Sleeper;
import com.stripesync.application.sync.SyncChange;
import com.stripesync.application.sync.SyncOutcome;
import com.stripesync.bootstrap.service.RunningService;
import com.stripesync.kafka.worker.ChangeWorker;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.persistence.DatabaseSettings;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.stripe.connection.StripeClientFactory;
import com.stripesync.stripe.connection.StripeSettings;
import com.stripesync.stripe.customer.StripeCustomers;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.postgres.TestDatabase;
import com.stripesync.testing.postgres.TestDatabases;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Stripe worker killed (a real child JVM, halted like {@code kill -9}) at each crash point, then
 * replaced: the change still ends as exactly one Stripe customer and a SYNCED link.
 */
class WorkerCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "killed {0}")
    @ValueSource(strings = {"after-stripe-write", "after-recording"})
    void aWorkerKilledAtACrashPointEndsWithOneStripeCustomerAndASyncedLink(String crashPoint) throws Exception {
        TestDatabase database = TestDatabases.freshSchema();
        String instanceId = "crash-" + UUID.randomUUID();
        try (FakeStripe stripe = FakeStripe.start();
             RunningService paused = RunningService.over(database)) {
            String id = register(paused);
            String topicPrefix = paused.settings().kafka().topicPrefix();

            Process child = startCrashingWorker(database, topicPrefix, instanceId, stripe, crashPoint);
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the crashing worker died").isTrue();
            assertThat(child.exitValue()).as("halted like kill -9").isEqualTo(137);
            assertThat(stripeCustomersOf(stripe, id)).as("Stripe applied the create before the crash").isEqualTo(1);
            String statusAfterCrash = link(paused, id).path("status").asText();
            assertThat(statusAfterCrash).isEqualTo(crashPoint.equals("after-recording") ? "SYNCED" : "PENDING");

            Queue<Handled> handled = new ConcurrentLinkedQueue<>();
            try (PostgresDatabase replacementDb = PostgresDatabase.open(new DatabaseSettings(database.jdbcUrl(),
                         database.user(), database.password(), 2, Duration.ofSeconds(5)));
                 ChangeWorker replacement = startWorker(replacementDb, topicPrefix, instanceId, stripe, handled)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> "SYNCED".equals(link(paused, id).path("status").asText()));
                if (crashPoint.equals("after-recording")) {
                    // The offset was never committed: the replacement gets the change again and recognises it as
                    // done. (Had the dead worker committed before recording, nothing would be redelivered.)
                    await().atMost(Duration.ofSeconds(30)).until(() -> handled.stream().anyMatch(h -> h.customerId().equals(id)));
                    assertThat(handled).filteredOn(h -> h.customerId().equals(id)).extracting(Handled::outcome)
                            .containsExactly(new SyncOutcome.Skipped("version 1 already handled"));
                    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                            .until(() -> createsOf(stripe, id).size() == 1);
                } else {
                    List<RecordedRequest> creates = createsOf(stripe, id);
                    assertThat(creates).hasSizeGreaterThanOrEqualTo(2);
                    assertThat(creates).extracting(request -> request.idempotencyKey().orElseThrow()).containsOnly(
                            creates.getFirst().idempotencyKey().orElseThrow());
                }
            }
            assertThat(stripeCustomersOf(stripe, id)).as("exactly one Stripe customer").isEqualTo(1);
            assertThat(link(paused, id).path("externalId").asText())
                    .isEqualTo(stripe.customers().stream()
                            .filter(customer -> id.equals(customer.metadata().get("stripe_sync_id")))
                            .findFirst().orElseThrow().id());
        }
    }

    private Process startCrashingWorker(TestDatabase database, String topicPrefix, String instanceId, FakeStripe stripe,
                                        String crashPoint) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashingWorkerMain.class.getName(), database.jdbcUrl(), database.user(), database.password(),
                SharedKafka.bootstrapServers(), topicPrefix, instanceId, stripe.apiBase(), crashPoint)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("crashing-worker-" + crashPoint + ".log").toFile())
                .start();
    }

    /** A change the replacement worker handled, and what became of it. */
    private record Handled(String customerId, SyncOutcome outcome) {
    }

    private static ChangeWorker startWorker(PostgresDatabase database, String topicPrefix, String instanceId,
                                            FakeStripe stripe, Queue<Handled> handled) {
        StripeCustomers customers = new StripeCustomers(StripeClientFactory.create(
                StripeSettings.of("sk_test_stripe_sync").withApiBase(URI.create(stripe.apiBase()))));
        ChangeSynchronizer synchronizer = new ChangeSynchronizer(customers, database.customerCatalog(),
                database.externalLinks(), database.unitOfWork(), DeleteMode.DELETE, RetryPolicy.standard(),
                Sleeper.REAL, Clock.systemUTC());
        // The same instance id: static membership hands the dead worker's partitions over at once.
        SyncChange noting = change -> {
            SyncOutcome outcome = synchronizer.sync(change);
            handled.add(new Handled(change.customerId().toString(), outcome));
            return outcome;
        };
        return ChangeWorker.start(new KafkaSettings(SharedKafka.bootstrapServers(), topicPrefix, 3, (short) 1, instanceId),
                customers.name(), noting);
    }

    private static String register(RunningService service) throws Exception {
        HttpResponse<String> created = service.postJson("/api/customers",
                "{\"name\":\"Crash Test\",\"email\":\"crash-" + UUID.randomUUID() + "@example.com\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("id").asText();
    }

    private static JsonNode link(RunningService service, String id) throws Exception {
        return JSON.readTree(service.get("/api/customers/" + id).body()).path("links").path("stripe");
    }

    private static long stripeCustomersOf(FakeStripe stripe, String id) {
        return stripe.customers().stream()
                .filter(customer -> id.equals(customer.metadata().get("stripe_sync_id")) && !customer.deleted())
                .count();
    }

    private static List<RecordedRequest> createsOf(FakeStripe stripe, String id) {
        return stripe.requests().stream()
                .filter(request -> request.method().equals("POST") && request.path().equals("/v1/customers"))
                .filter(request -> id.equals(request.params().get("metadata[stripe_sync_id]")))
                .toList();
    }
}
