package com.stripesync.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerFeature;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bootstrap adds its own features (health, metrics) to the server builder configureServer has prepared.
 * {@code /ping} and {@code /openapi} are not operations of the API, so only the API's answer is held
 * against the document.
 */
@ServerTest
class ServerSetupLeavesRoomForMoreFeaturesTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final ApiClient api;

    ServerSetupLeavesRoomForMoreFeaturesTest(WebServer server) {
        this.base = URI.create("http://127.0.0.1:" + server.port());
        this.api = new ApiClient(server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        WebApi.configureServer(server, WebSettings.defaults());
        server.addFeature(new PingFeature());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WebApi.routing(routing, TestWiring.useCases(new InMemoryCustomerCatalog()), List.of());
    }

    @Test
    void aFeatureAddedAfterConfigureServerIsServedBesideTheApiAndTheDocument() throws Exception {
        assertThat(status("/ping")).isEqualTo(204);
        assertThat(status("/openapi")).isEqualTo(200);
        assertThat(api.get("/api/customers").status()).isEqualTo(200);
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static final class PingFeature implements ServerFeature {

        @Override
        public void setup(ServerFeatureContext context) {
            context.socket(WebServer.DEFAULT_SOCKET_NAME).httpRouting()
                    .get("/ping", (request, response) -> response.status(204).send());
        }

        @Override
        public String name() {
            return "ping";
        }

        @Override
        public String type() {
            return "ping";
        }
    }
}
