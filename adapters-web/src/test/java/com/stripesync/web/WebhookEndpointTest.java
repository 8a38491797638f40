package com.stripesync.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.application.inbound.ReceiveWebhook;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookEndpointTest {

    private static final ReceiveWebhook NEVER = delivery -> {
        throw new AssertionError("not called");
    };

    @ParameterizedTest
    @ValueSource(strings = {"", "api/stripe-webhook", "/", "/api/stripe-webhook/", "/api/{system}-webhook", "/api/*",
            "/api//webhook", "/api/stripe webhook"})
    void aWebhookPathIsLiteralSegments(String path) {
        assertThatThrownBy(() -> new WebhookEndpoint(path, NEVER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoWebhooksCannotShareAPath() {
        List<WebhookEndpoint> twice = List.of(new WebhookEndpoint("/api/stripe-webhook", NEVER),
                new WebhookEndpoint("/api/stripe-webhook", NEVER));

        assertThatThrownBy(() -> WebApi.routing(HttpRouting.builder(),
                TestWiring.useCases(new InMemoryCustomerCatalog()), twice))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/api/stripe-webhook");
    }

    @Test
    void aWebhookCannotTakeACustomerPath() {
        assertThatThrownBy(() -> WebApi.routing(HttpRouting.builder(), TestWiring.useCases(new InMemoryCustomerCatalog()),
                List.of(new WebhookEndpoint("/api/customers", NEVER))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
