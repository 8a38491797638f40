package com.stripesync.web.customer;

import static com.stripesync.web.CustomerJson.details;
import static com.stripesync.web.CustomerJson.uniqueEmail;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a request can be wrong is a 400 or 415 problem naming what is wrong, and changes nothing. */
@ServerTest
class CustomerRequestRejectionTest {

    private static final InMemoryCustomerCatalog CATALOG = new InMemoryCustomerCatalog();
    private static final String INVALID_REQUEST = "urn:stripe-sync:problem:invalid-request";

    private final ApiClient api;
    private String existing = "";

    CustomerRequestRejectionTest(WebServer server) {
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

    @BeforeEach
    void registerOne() {
        Reply registered = api.post("/api/customers", details("Ada Lovelace", uniqueEmail()));
        assertThat(registered.status()).isEqualTo(201);
        existing = registered.header("Location").orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"email\":\"a@example.com\"}",
            "{\"name\":null,\"email\":\"a@example.com\"}",
            "{\"name\":\"   \",\"email\":\"a@example.com\"}",
            "{\"name\":\"tab\\tinside\",\"email\":\"a@example.com\"}"})
    void aMissingBlankOrControlCharacterNameIsRejectedNamingName(String body) {
        assertRejectedNaming("name", () -> api.post("/api/customers", body));
        assertRejectedNaming("name", () -> api.put(existing, body));
    }

    @Test
    void aNameOverTheLimitIsRejectedNamingName() {
        String body = details("x".repeat(257), uniqueEmail());

        assertRejectedNaming("name", () -> api.post("/api/customers", body));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"Ada\"}",
            "{\"name\":\"Ada\",\"email\":\"\"}",
            "{\"name\":\"Ada\",\"email\":\"no-at-sign\"}",
            "{\"name\":\"Ada\",\"email\":\"two@@example.com\"}",
            "{\"name\":\"Ada\",\"email\":\"ada@nodot\"}"})
    void aMissingOrInvalidEmailIsRejectedNamingEmail(String body) {
        assertRejectedNaming("email", () -> api.post("/api/customers", body));
        assertRejectedNaming("email", () -> api.put(existing, body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5.5", "true", "[\"Ada\"]", "{\"first\":\"Ada\"}"})
    void aNameOfAnotherJsonTypeIsRejectedRatherThanCoerced(String name) {
        String body = "{\"name\":" + name + ",\"email\":\"" + uniqueEmail() + "\"}";

        Reply reply = assertRejectedNaming("name", () -> api.post("/api/customers", body));

        assertThat(reply.json().path("errors").get(0).path("detail").asText()).contains("wrong JSON type");
        assertRejectedNaming("name", () -> api.put(existing, body));
    }

    @Test
    void anEmailOfAnotherJsonTypeIsRejectedNamingEmail() {
        assertRejectedNaming("email", () -> api.post("/api/customers", "{\"name\":\"Ada\",\"email\":42}"));
    }

    @Test
    void anUnknownMemberIsRejectedNamingIt() {
        String body = "{\"name\":\"Ada\",\"email\":\"" + uniqueEmail() + "\",\"nickname\":\"Countess\"}";

        assertRejectedNaming("nickname", () -> api.post("/api/customers", body));
        assertRejectedNaming("nickname", () -> api.put(existing, body));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"Ada\",",
            "{name:\"Ada\"}",
            "{\"name\":\"Ada\",\"email\":\"a@example.com\"} {}",
            "{\"name\":\"Ada\",\"email\":\"a@example.com\"} trailing",
            "{\"name\":\"Ada\",\"name\":\"Eve\",\"email\":\"a@example.com\"}",
            "[{\"name\":\"Ada\",\"email\":\"a@example.com\"}]",
            "\"Ada\"",
            "null",
            "",
            "   "})
    void aBodyThatIsNotOneWellFormedJsonObjectIsRejected(String body) {
        Reply post = assertRejected(400, () -> api.post("/api/customers", body));
        assertThat(post.json().path("type").asText()).isEqualTo(INVALID_REQUEST);
        assertRejected(400, () -> api.put(existing, body));
    }

    @Test
    void aBodyInAnotherMediaTypeIsRejectedWith415() {
        String body = details("Ada", uniqueEmail());

        assertRejected(415, () -> api.send("POST", "/api/customers", "text/plain", body));
        assertRejected(415, () -> api.send("PUT", existing, "application/x-www-form-urlencoded", "name=Ada"));
        assertRejected(415, () -> api.send("POST", "/api/customers", "application/json; charset=ISO-8859-1", body));
        assertRejected(415, () -> api.send("POST", "/api/customers", "*/*", body));
        assertRejected(415, () -> api.send("POST", "/api/customers", "application/*", body));
        assertRejected(415, () -> api.send("POST", "/api/customers", "json", body));
    }

    @Test
    void aBodyWithoutContentTypeIsRejectedWith415() {
        assertRejected(415, () -> api.send("POST", "/api/customers", null, details("Ada", uniqueEmail())));
    }

    @Test
    void aJsonContentTypeWithUtf8CharsetIsAccepted() {
        Reply reply = api.send("POST", "/api/customers", "application/json; charset=UTF-8", details("Ada", uniqueEmail()));

        assertThat(reply.status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "123", "0b6a3c2e7f1d4c5e9a8b1c2d3e4f5a6b", "%7Bid%7D",
            "0b6a3c2e-7f1d-4c5e-9a8b-1c2d3e4f5a6bb"})
    void anIdThatIsNotAUuidIsRejectedNamingId(String id) {
        String path = "/api/customers/" + id;

        assertRejectedNaming("id", () -> api.get(path));
        assertRejectedNaming("id", () -> api.put(path, details("Ada", uniqueEmail())));
        assertRejectedNaming("id", () -> api.delete(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "201", "-1", "abc", "1.5", "", "+5", "99999999999", "limit=1&limit=2"})
    void aLimitOutsideOneToTwoHundredOrNotANumberIsRejectedNamingLimit(String limit) {
        String query = limit.startsWith("limit=") ? limit : "limit=" + limit;

        assertRejectedNaming("limit", () -> api.get("/api/customers?" + query));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "200"})
    void limitsAtTheBoundsAreAccepted(String limit) {
        assertThat(api.get("/api/customers?limit=" + limit).status()).isEqualTo(200);
    }

    @Test
    void aCursorThisServiceDidNotHandOutIsRejectedNamingCursor() {
        String forged = Base64.getUrlEncoder().encodeToString("yesterday|someone".getBytes(StandardCharsets.UTF_8));

        assertRejectedNaming("cursor", () -> api.get("/api/customers?cursor=garbage"));
        assertRejectedNaming("cursor", () -> api.get("/api/customers?cursor=" + forged));
        assertRejectedNaming("cursor", () -> api.get("/api/customers?cursor="));
    }

    @Test
    void anEmailLookupCombinedWithACursorIsRejected() {
        String cursor = api.get("/api/customers?limit=1").json().path("nextCursor").asText();

        assertRejectedNaming("cursor", () -> api.get("/api/customers?email=a@example.com&cursor=" + cursor));
    }

    @Test
    void anInvalidEmailToLookUpIsRejectedNamingEmail() {
        assertRejectedNaming("email", () -> api.get("/api/customers?email=not-an-email"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "W/\"1\"", "\"abc\"", "\"0\"", "\"1\", \"2\"", "\"1", "*, \"1\"", "\"-1\""})
    void aMalformedIfMatchIsRejectedNamingItAndChangesNothing(String ifMatch) {
        assertRejectedNaming("If-Match", () -> api.put(existing, details("Ada King", uniqueEmail()), "If-Match", ifMatch));
        assertRejectedNaming("If-Match", () -> api.delete(existing, "If-Match", ifMatch));
    }

    private Reply assertRejectedNaming(String field, Supplier<Reply> request) {
        Reply reply = assertRejected(400, request);
        assertThat(reply.json().path("type").asText()).isEqualTo(INVALID_REQUEST);
        assertThat(reply.problemFields()).containsExactly(field);
        return reply;
    }

    private static Reply assertRejected(int status, Supplier<Reply> request) {
        Map<CustomerId, Customer> before = CATALOG.contents();
        Reply reply = request.get();
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).contains("application/problem+json");
        assertThat(CATALOG.contents()).isEqualTo(before);
        return reply;
    }
}
