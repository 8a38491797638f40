package com.stripesync.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.web.ApiClient;
import com.stripesync.web.Reply;
import com.stripesync.web.TestWiring;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Failures outside the customer rules (size, HTTP syntax, paths, methods) are problems too, never 500. */
@ServerTest
class HttpLevelProblemsTest {

    private static final InMemoryCustomerCatalog CATALOG = new InMemoryCustomerCatalog();
    private static final int ONE_MIB = 1024 * 1024;

    private final ApiClient api;

    HttpLevelProblemsTest(WebServer server) {
        this.api = new ApiClient(server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        WebApi.configureServer(server, WebSettings.defaults());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WebApi.routing(routing, TestWiring.useCases(CATALOG), List.of());
    }

    @Test
    void aBodyAnnouncedOverOneMebibyteIsRejectedWith413BeforeItIsRead() {
        Map<CustomerId, Customer> before = CATALOG.contents();

        Reply reply = api.raw("POST", "/api/customers", """
                POST /api/customers HTTP/1.1\r
                Host: localhost\r
                Content-Type: application/json\r
                Content-Length: %d\r
                \r
                {"name":""".formatted(ONE_MIB + 1));

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().path("type").asText()).isEqualTo("about:blank");
        assertThat(reply.json().path("detail").asText()).contains("larger than this server accepts");
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @Test
    void aBodyOverOneMebibyteSentWholeIsRejectedWith413() {
        Map<CustomerId, Customer> before = CATALOG.contents();
        byte[] head = ("PUT /api/customers/" + UUID.randomUUID() + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (ONE_MIB + 1) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(head, head.length + ONE_MIB + 1);
        Arrays.fill(request, head.length, request.length, (byte) ' ');

        Reply reply = api.raw("PUT", "/api/customers/" + UUID.randomUUID(), request);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsRead() {
        String members = "{\"name\":\"Ada\",\"email\":\"big@example.com\"";
        String padded = members + " ".repeat(ONE_MIB - members.length() - 1) + "}";
        assertThat(padded.length()).isEqualTo(ONE_MIB);

        assertThat(api.post("/api/customers", padded).status()).isEqualTo(201);
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsRejectedWith413() {
        Map<CustomerId, Customer> before = CATALOG.contents();
        String chunk = " ".repeat(64 * 1024);
        StringBuilder request = new StringBuilder("POST /api/customers HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int sent = 0; sent <= ONE_MIB; sent += chunk.length()) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");

        Reply reply = api.raw("POST", "/api/customers", request.toString());

        assertThat(reply.status()).isEqualTo(413);
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "THIS IS NOT HTTP\r\n\r\n",
            "GET /api/customers HTTP/1.1\r\nHost: localhost\r\nNo colon in this header\r\n\r\n",
            "GET /api/customers HTTP/1.1\r\nHost: localhost\r\nBad Name: value\r\n\r\n",
            "GET /api/customers HTTP/1.1\r\nHost: localhost\r\nContent-Length: nope\r\n\r\n",
            "GET /api/custo\u0001mers HTTP/1.1\r\nHost: localhost\r\n\r\n"})
    void aMalformedRequestIsAnswered400WithAProblem(String request) {
        Reply reply = api.raw("GET", "/", request);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).contains("application/problem+json");
        assertThat(reply.json().path("detail").asText()).doesNotContain("colon", "nope");
    }

    @ParameterizedTest
    @CsvSource({"GET,/", "GET,/api", "GET,/api/customers/", "POST,/api/customer",
            "GET,/api/customers/0b6a3c2e-7f1d-4c5e-9a8b-1c2d3e4f5a6b/links", "DELETE,/nothing/here"})
    void anUnknownPathIsAnswered404WithAProblem(String method, String path) {
        Reply reply = api.send(method, path, null, null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("type").asText()).isEqualTo("about:blank");
        assertThat(reply.json().path("title").asText()).isEqualTo("Not Found");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PATCH|/api/customers|POST, GET",
            "DELETE|/api/customers|POST, GET",
            "PUT|/api/customers|POST, GET",
            "OPTIONS|/api/customers|POST, GET",
            "POST|/api/customers/0b6a3c2e-7f1d-4c5e-9a8b-1c2d3e4f5a6b|GET, PUT, DELETE",
            "PATCH|/api/customers/not-even-a-uuid|GET, PUT, DELETE"})
    void aKnownPathWithAnotherMethodIsAnswered405WithAllow(String method, String path, String allow) {
        Map<CustomerId, Customer> before = CATALOG.contents();

        Reply reply = api.send(method, path, "application/json", "{\"name\":\"Ada\",\"email\":\"x@example.com\"}");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).contains(allow);
        assertThat(reply.json().path("type").asText()).isEqualTo("about:blank");
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @Test
    void aHeadRequestIsAnswered405WithoutABody() {
        Reply reply = api.raw("HEAD", "/api/customers",
                "HEAD /api/customers HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).contains("POST, GET");
        assertThat(reply.body()).isEmpty();
    }
}
