package com.stripesync.bootstrap.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.bootstrap.StripeSyncService;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.logging.LogCapture;
import com.stripesync.testing.postgres.TestDatabase;
import com.stripesync.testing.postgres.TestDatabases;
import com.stripesync.testing.stripe.FakeStripe;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Without a Stripe key the outbound sync waits; nothing is lost, and a restart with a key sends it all. */
class PausedOutboundTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void changesMadeWhileNoKeyIsConfiguredWaitAsPendingAndReachStripeOnceAKeyIsGiven() throws Exception {
        TestDatabase database = TestDatabases.freshSchema();
        String topicPrefix = SharedKafka.freshTopicPrefix();
        try (FakeStripe stripe = FakeStripe.start()) {
            String id;
            // Configured like a deployment that sets STRIPE_API_BASE but no STRIPE_SECRET_KEY: a request to Stripe
            // would reach the fake and be seen.
            try (LogCapture log = LogCapture.of(StripeSyncService.class);
                 RunningService paused = RunningService.configuredBy(database,
                         Map.of("stripe.api.base", stripe.apiBase(), "kafka.topic.prefix", topicPrefix))) {
                assertThat(paused.settings().stripe().api()).isEmpty();
                assertThat(log.messages(Level.WARNING)).anySatisfy(line -> assertThat(line)
                        .contains("STRIPE_SECRET_KEY is not set").contains("paused").contains("PENDING"));
                HttpResponse<String> created = paused.postJson("/api/customers",
                        "{\"name\":\"Waiting\",\"email\":\"waiting-" + UUID.randomUUID() + "@example.com\"}");
                assertThat(created.statusCode()).isEqualTo(201);
                id = JSON.readTree(created.body()).path("id").asText();
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> "PENDING".equals(link(paused, id).path("status").asText()));
                assertThat(stripe.requests()).isEmpty();
            }

            try (RunningService resumed = RunningService.over(database, RunningService.stripeAt(stripe, DeleteMode.DELETE),
                    topicPrefix)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "SYNCED".equals(link(resumed, id).path("status").asText()));
                assertThat(stripe.customers()).filteredOn(customer -> id.equals(customer.metadata().get("stripe_sync_id")))
                        .hasSize(1);
            }
        }
    }

    private static JsonNode link(RunningService service, String id) throws Exception {
        return JSON.readTree(service.get("/api/customers/" + id).body()).path("links").path("stripe");
    }
}
