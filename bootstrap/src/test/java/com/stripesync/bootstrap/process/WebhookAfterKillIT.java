package com.stripesync.bootstrap.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.StripeEvents;
import com.stripesync.testing.stripe.StripeWebhookSigner;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A webhook answered 2xx survives a kill -9 of the service right after the answer. */
class WebhookAfterKillIT {

    private static final String SECRET = "whsec_process_test";

    @TempDir
    Path workDir;

    @Test
    void anEventAcknowledgedRightBeforeKillNineIsAppliedAfterTheRestart() throws Exception {
        try (FakeStripe stripe = FakeStripe.start()) {
            Map<String, String> env = Map.of(
                    "SERVER_PORT", Integer.toString(ServiceProcess.freePort()),
                    "STRIPE_SYNC_DATA_DIR", workDir.resolve("data").toString(),
                    "STRIPE_SECRET_KEY", "sk_test_stripe_sync",
                    "STRIPE_API_BASE", stripe.apiBase(),
                    "STRIPE_WEBHOOK_SECRET", SECRET,
                    "STRIPE_SYNC_INSTANCE_ID", "webhook-kill-test");
            StripeEvents.Customer dashboard = StripeEvents.customer();
            byte[] event = StripeEvents.created(dashboard).toBytes();

            try (ServiceProcess first = ServiceProcess.start(env, workDir.resolve("first.log"))) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .failFast("the service exited: " + first.output(), () -> !first.process().isAlive())
                        .until(() -> first.healthStatus() == 200);
                // The kill follows the 2xx at once: what was acknowledged must be in Kafka, not in memory.
                HttpResponse<String> answer = first.send(HttpRequest.newBuilder(first.uri("/api/stripe-webhook"))
                        .header("Content-Type", "application/json")
                        .header(StripeWebhookSigner.HEADER, StripeWebhookSigner.sign(event, SECRET, Instant.now()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                first.kill();
            }

            try (ServiceProcess second = ServiceProcess.start(env, workDir.resolve("second.log"))) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .failFast("the service exited: " + second.output(), () -> !second.process().isAlive())
                        .until(() -> imported(second, dashboard.email()));
            }
        }
    }

    private static boolean imported(ServiceProcess service, String email) {
        try {
            HttpResponse<String> page = service.send(HttpRequest.newBuilder(
                    service.uri("/api/customers?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8))).GET());
            return page.statusCode() == 200 && page.body().contains(email);
        } catch (Exception e) {
            return false;
        }
    }
}
