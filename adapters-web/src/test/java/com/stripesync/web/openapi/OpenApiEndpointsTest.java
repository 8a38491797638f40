package com.stripesync.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.web.TestWiring;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The document and its UI are served by Helidon's features, outside the API's own routes, so these
 * responses are compared with the document itself rather than held against it.
 */
@ServerTest
class OpenApiEndpointsTest {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final URI base;

    OpenApiEndpointsTest(WebServer server) {
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        WebApi.configureServer(server, WebSettings.defaults());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WebApi.routing(routing, TestWiring.useCases(new InMemoryCustomerCatalog()), List.of());
    }

    @Test
    void theDocumentIsServedAtOpenapiAsYaml() throws Exception {
        HttpResponse<String> response = get("/openapi", "application/vnd.oai.openapi");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(YAMLMapper.shared().readTree(response.body())).isEqualTo(document());
    }

    @Test
    void theDocumentIsServedAtOpenapiAsJsonOnRequest() throws Exception {
        HttpResponse<String> response = get("/openapi", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(JsonMapper.shared().readTree(response.body())).isEqualTo(document());
    }

    @Test
    void theUiIsServedAtOpenapiUiAsHtml() throws Exception {
        HttpResponse<String> response = get("/openapi/ui", "text/html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).containsIgnoringCase("<html");
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode document() throws IOException {
        try (InputStream in = Objects.requireNonNull(
                OpenApiEndpointsTest.class.getClassLoader().getResourceAsStream(OpenApiFeatures.DOCUMENT_RESOURCE))) {
            return YAMLMapper.shared().readTree(in);
        }
    }
}
