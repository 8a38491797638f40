package com.stripesync.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.application.inbound.WebhookIntake;
import com.stripesync.domain.link.SystemName;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.testing.stripe.StripeEvents;
import com.stripesync.testing.stripe.StripeWebhookSigner;
import com.stripesync.web.ApiClient;
import com.stripesync.web.Reply;
import com.stripesync.web.TestWiring;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import com.stripesync.web.WebhookEndpoint;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without a signing secret nothing can be verified, so nothing is accepted: not even a well-signed event. */
@ServerTest
class WebhooksNotConfiguredTest {

    private static final RecordingEventQueue QUEUE = new RecordingEventQueue();

    private final ApiClient api;

    WebhooksNotConfiguredTest(WebServer server) {
        this.api = new ApiClient(server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        WebApi.configureServer(server, WebSettings.defaults());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WebhookIntake intake = new WebhookIntake(new SystemName("stripe"), Optional.empty(), QUEUE);
        WebApi.routing(routing, TestWiring.useCases(new InMemoryCustomerCatalog()),
                List.of(new WebhookEndpoint(WebhookEndpoint.STRIPE_PATH, intake)));
    }

    @Test
    void everyDeliveryIsAnswered503SayingNoSecretIsConfigured() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        Reply reply = api.postBytes(WebhookEndpoint.STRIPE_PATH, StripeWebhookSigner.CONTENT_TYPE, body,
                StripeWebhookSigner.HEADER, StripeWebhookSigner.sign(body, "whsec_AnySecret0000000", Instant.now()));

        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:stripe-sync:problem:webhooks-not-configured");
        assertThat(reply.json().path("detail").asText()).contains("No webhook signing secret is configured");
        assertThat(QUEUE.queued()).isEmpty();
    }

    @Test
    void anUnsignedDeliveryIsAnswered503Too() {
        Reply reply = api.postBytes(WebhookEndpoint.STRIPE_PATH, "application/json", "{}".getBytes());

        assertThat(reply.status()).isEqualTo(503);
        assertThat(QUEUE.queued()).isEmpty();
    }
}
