package com.stripesync.bootstrap.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.testing.stripe.FakeStripe;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service in embedded mode (its own PostgreSQL and Kafka) syncing to a fake Stripe, killed mid-sync. */
class OutboundResumeAfterKillIT {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(OutboundResumeAfterKillIT.class.getName());

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    @TempDir
    Path workDir;

    @Test
    void changesInFlightWhenTheServiceIsKilledReachStripeWithinTenSecondsOfTheRestart() throws Exception {
        try (FakeStripe stripe = FakeStripe.start()) {
            Map<String, String> env = Map.of(
                    "SERVER_PORT", Integer.toString(ServiceProcess.freePort()),
                    "STRIPE_SYNC_DATA_DIR", workDir.resolve("data").toString(),
                    "STRIPE_SECRET_KEY", "sk_test_stripe_sync",
                    "STRIPE_API_BASE", stripe.apiBase(),
                    "STRIPE_SYNC_INSTANCE_ID", "resume-test");
            List<String> inFlight = new ArrayList<>();

            try (ServiceProcess first = ServiceProcess.start(env, workDir.resolve("first.log"))) {
                awaitHealthy(first, Duration.ofSeconds(90));
                String warmUp = register(first, "Warm Up");
                await().atMost(Duration.ofSeconds(30)).until(() -> inStripe(stripe, warmUp));

                stripe.faults().latency(Duration.ofSeconds(20));
                for (int i = 0; i < 3; i++) {
                    inFlight.add(register(first, "In Flight " + i));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> stripe.requests().size() > 1);
                first.kill();
            }
            stripe.faults().clear();
            assertThat(inFlight).noneMatch(id -> inStripe(stripe, id));

            long restartedAt = System.nanoTime();
            try (ServiceProcess second = ServiceProcess.start(env, workDir.resolve("second.log"))) {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .failFast("the service exited: " + second.output(), () -> !second.process().isAlive())
                        .until(() -> inFlight.stream().allMatch(id -> inStripe(stripe, id)));
                FIGURES.info("Changes in flight at kill -9 reached Stripe "
                        + Duration.ofNanos(System.nanoTime() - restartedAt).toMillis() + " ms after the restart");
                for (String id : inFlight) {
                    assertThat(stripe.customers()).filteredOn(customer -> id.equals(customer.metadata().get("stripe_sync_id")))
                            .hasSize(1);
                }
            }
        }
    }

    private static boolean inStripe(FakeStripe stripe, String id) {
        return stripe.customers().stream().anyMatch(customer -> id.equals(customer.metadata().get("stripe_sync_id")));
    }

    private static String register(ServiceProcess service, String name) throws Exception {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri("/api/customers"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"email\":\"resume-" + UUID.randomUUID() + "@example.com\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher id = ID.matcher(response.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private static void awaitHealthy(ServiceProcess service, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .failFast("the service exited: " + service.output(), () -> !service.process().isAlive())
                .until(() -> service.healthStatus() == 200);
    }
}
