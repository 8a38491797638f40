package com.stripesync.bootstrap.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.testing.postgres.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Start-up and health never depend on reaching Stripe: with its API on a closed port the service still serves. */
class StripeUnreachableAtStartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServiceStartsIsHealthyAndTakesChangesWhileStripeCannotBeReached() throws Exception {
        String closedApiBase = "http://127.0.0.1:" + closedPort();

        try (RunningService service = RunningService.configuredBy(TestDatabases.freshSchema(), Map.of(
                "stripe.secret.key", "sk_test_unreachable",
                "stripe.api.base", closedApiBase))) {
            assertThat(service.settings().stripe().api()).as("outbound sync configured, not paused").isPresent();
            assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);

            HttpResponse<String> created = service.postJson("/api/customers",
                    "{\"name\":\"Offline\",\"email\":\"offline-" + UUID.randomUUID() + "@example.com\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode body = JSON.readTree(created.body());
            assertThat(body.path("links").path("stripe").path("status").asText()).isEqualTo("PENDING");

            // The worker keeps failing to connect meanwhile: the change waits, health stays up.
            String id = body.path("id").asText();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    "PENDING".equals(JSON.readTree(service.get("/api/customers/" + id).body())
                            .path("links").path("stripe").path("status").asText()));
            assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);
        }
    }

    /** A port nothing listens on: taken from the system, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
