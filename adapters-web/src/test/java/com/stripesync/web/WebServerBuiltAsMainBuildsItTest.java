package com.stripesync.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The setup works on a server built from scratch, as main builds it, not only under @ServerTest. */
class WebServerBuiltAsMainBuildsItTest {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private WebServer server;

    @BeforeEach
    void start() {
        WebServerConfig.Builder builder = WebServer.builder().port(0).host("127.0.0.1");
        WebApi.configureServer(builder, WebSettings.defaults());
        builder.routing(routing -> WebApi.routing(routing, TestWiring.useCases(new InMemoryCustomerCatalog()), List.of()));
        server = builder.build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void theApiTheDocumentAndItsUiAreServed() throws Exception {
        assertThat(new ApiClient(server.port()).get("/api/customers").status()).isEqualTo(200);
        assertThat(get("/openapi").statusCode()).isEqualTo(200);
        HttpResponse<String> ui = get("/openapi/ui");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("<html");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
