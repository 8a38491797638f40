package com.stripesync.testing.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake behaves like Stripe where our adapters depend on it, driven by a plain HTTP client. */
class FakeStripeTest {

    private static final String KEY = "sk_test_fake0000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeStripe stripe;

    @BeforeEach
    void start() {
        stripe = FakeStripe.start();
    }

    @AfterEach
    void stop() {
        stripe.close();
        http.close();
    }

    @Test
    void requestWithoutABearerKeyIsUnauthorized() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/customers")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void publishableKeyIsUnauthorizedAndOnlyItsTailIsShown() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/customers", Map.of(), null, "pk_test_publishable1234");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).at("/error/message").asText()).contains("pk_test_").contains("1234")
                .doesNotContain("publishable");
    }

    @Test
    void createReadsFormFieldsAndMetadataAndAnswersAStripeCustomer() throws Exception {
        HttpResponse<String> response = post("/v1/customers",
                form("name", "Ada Lovelace", "email", "ada@example.com", "metadata[stripe_sync_id]", "42"), "key-1");

        JsonNode customer = json(response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(customer.get("id").asText()).matches("cus_[A-Za-z0-9]{14}");
        assertThat(customer.get("object").asText()).isEqualTo("customer");
        assertThat(customer.get("livemode").asBoolean()).isFalse();
        assertThat(customer.get("created").asLong()).isCloseTo(Instant.now().getEpochSecond(),
                within(5L));
        assertThat(customer.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(customer.get("email").asText()).isEqualTo("ada@example.com");
        assertThat(customer.at("/metadata/stripe_sync_id").asText()).isEqualTo("42");
        assertThat(stripe.customers()).singleElement().extracting(FakeCustomer::metadata)
                .isEqualTo(Map.of("stripe_sync_id", "42"));
    }

    @Test
    void unknownParameterIsRejectedAndCreatesNothing() throws Exception {
        HttpResponse<String> response = post("/v1/customers", form("name", "Ada", "nickname", "ada"), "key-1");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("parameter_unknown");
        assertThat(error.get("param").asText()).isEqualTo("nickname");
        assertThat(stripe.customers()).isEmpty();
    }

    @Test
    void emptyStringUnsetsAFieldAndAMetadataKey() throws Exception {
        String id = createAda();

        post("/v1/customers/" + id, form("email", "", "metadata[stripe_sync_id]", ""), "key-2");

        assertThat(stripe.customer(id)).get().satisfies(customer -> {
            assertThat(customer.email()).isNull();
            assertThat(customer.name()).isEqualTo("Ada Lovelace");
            assertThat(customer.metadata()).isEmpty();
        });
    }

    @Test
    void sameIdempotencyKeyReplaysTheFirstAnswer() throws Exception {
        Map<String, String> ada = form("name", "Ada Lovelace");

        HttpResponse<String> first = post("/v1/customers", ada, "same-key");
        HttpResponse<String> replay = post("/v1/customers", ada, "same-key");

        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void sameIdempotencyKeyWithOtherParametersIsAnIdempotencyError() throws Exception {
        post("/v1/customers", form("name", "Ada Lovelace"), "same-key");

        HttpResponse<String> other = post("/v1/customers", form("name", "Grace Hopper"), "same-key");

        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(json(other).at("/error/type").asText()).isEqualTo("idempotency_error");
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void expiredIdempotencyKeyCreatesAgain() throws Exception {
        post("/v1/customers", form("name", "Ada Lovelace"), "same-key");
        stripe.expireIdempotencyKeys();

        post("/v1/customers", form("name", "Ada Lovelace"), "same-key");

        assertThat(stripe.customers()).hasSize(2);
    }

    @Test
    void deletedCustomerIsRetrievableAsAStubAndCannotBeDeletedAgain() throws Exception {
        String id = createAda();

        HttpResponse<String> deleted = send("DELETE", "/v1/customers/" + id, Map.of(), "del-1", KEY);
        HttpResponse<String> retrieved = send("GET", "/v1/customers/" + id, Map.of(), null, KEY);
        HttpResponse<String> deletedAgain = send("DELETE", "/v1/customers/" + id, Map.of(), "del-1", KEY);

        assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
        assertThat(json(retrieved).get("deleted").asBoolean()).isTrue();
        assertThat(retrieved.statusCode()).isEqualTo(200);
        assertThat(deletedAgain.statusCode()).isEqualTo(404);
        assertThat(json(deletedAgain).at("/error/code").asText()).isEqualTo("resource_missing");
    }

    @Test
    void unknownCustomerIsResourceMissing() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/customers/cus_Unknown", Map.of(), null, KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("resource_missing");
    }

    @Test
    void listPagesNewestFirstWithStartingAfter() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(stripe.seedCustomer("Customer " + i, null, Map.of()).id());
        }

        JsonNode first = json(send("GET", "/v1/customers", Map.of("limit", "3"), null, KEY));
        String last = first.at("/data/2/id").asText();
        JsonNode second = json(send("GET", "/v1/customers", Map.of("limit", "3", "starting_after", last), null, KEY));

        assertThat(ids(first)).containsExactly(created.get(4), created.get(3), created.get(2));
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(ids(second)).containsExactly(created.get(1), created.get(0));
        assertThat(second.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void listFiltersByExactEmailAndByCreationTime() throws Exception {
        FakeCustomer ada = stripe.seedCustomer("Ada", "ada@example.com", Map.of());
        stripe.seedCustomer("Other Ada", "Ada@example.com", Map.of());
        long createdAt = ada.created().getEpochSecond();

        JsonNode byEmail = json(send("GET", "/v1/customers", Map.of("email", "ada@example.com"), null, KEY));
        JsonNode sinceThen = json(send("GET", "/v1/customers", Map.of("created[gte]", Long.toString(createdAt)), null, KEY));
        JsonNode later = json(send("GET", "/v1/customers", Map.of("created[gt]", Long.toString(createdAt + 60)), null, KEY));

        assertThat(ids(byEmail)).containsExactly(ada.id());
        assertThat(ids(sinceThen)).hasSize(2);
        assertThat(ids(later)).isEmpty();
    }

    @Test
    void searchFindsCustomersByMetadata() throws Exception {
        stripe.seedCustomer("Ada", null, Map.of("stripe_sync_id", "a-1"));
        FakeCustomer grace = stripe.seedCustomer("Grace", null, Map.of("stripe_sync_id", "g-1"));

        JsonNode result = json(send("GET", "/v1/customers/search",
                Map.of("query", "metadata['stripe_sync_id']:'g-1'"), null, KEY));

        assertThat(result.get("object").asText()).isEqualTo("search_result");
        assertThat(ids(result)).containsExactly(grace.id());
    }

    @Test
    void searchRejectsQueriesTheFakeDoesNotUnderstand() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/customers/search",
                Map.of("query", "name~'Ada' OR email:'x'"), null, KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/param").asText()).isEqualTo("query");
    }

    @Test
    void searchLagHidesFreshWrites() throws Exception {
        stripe.seedCustomer("Ada", null, Map.of("stripe_sync_id", "a-1"));
        stripe.searchLag(Duration.ofMinutes(1));

        JsonNode result = json(send("GET", "/v1/customers/search",
                Map.of("query", "metadata['stripe_sync_id']:'a-1'"), null, KEY));

        assertThat(ids(result)).isEmpty();
    }

    @Test
    void rateLimitAnswers429WithRetryAfterForTheNextRequestsOnly() throws Exception {
        stripe.faults().rateLimitNext(2, Duration.ofSeconds(3));

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            responses.add(send("GET", "/v1/customers", Map.of(), null, KEY));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(429, 429, 200);
        assertThat(responses.getFirst().headers().firstValue("Retry-After")).contains("3");
        assertThat(json(responses.getFirst()).at("/error/code").asText()).isEqualTo("rate_limit");
    }

    @Test
    void perSecondLimitAnswers429WithRetryAfterOneBeyondTheLimitOfEachCalendarSecond() throws Exception {
        int limit = 2;
        stripe.faults().limitPerSecond(limit);

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            responses.add(post("/v1/customers", form("name", "Ada " + i), "key-" + i));
        }

        List<RecordedRequest> requests = stripe.requests();
        Map<Long, Integer> arrivalsPerSecond = new LinkedHashMap<>();
        for (int i = 0; i < responses.size(); i++) {
            long second = requests.get(i).arrivedAt().getEpochSecond();
            int earlier = arrivalsPerSecond.merge(second, 1, Integer::sum) - 1;
            assertThat(responses.get(i).statusCode()).as("request %d, number %d of its second", i, earlier + 1)
                    .isEqualTo(earlier < limit ? 200 : 429);
        }
        List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty().allSatisfy(response -> {
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(json(response).at("/error/code").asText()).isEqualTo("rate_limit");
        });
        assertThat(stripe.rateLimitedCount()).isEqualTo(limited.size());
        assertThat(stripe.rateLimitedRequests()).hasSize(limited.size()).allSatisfy(request ->
                assertThat(requests).anySatisfy(recorded -> assertThat(recorded).isSameAs(request)));
        assertThat(stripe.customers()).hasSize(responses.size() - limited.size());
    }

    @Test
    void serverErrorAfterApplyingIsSavedUnderTheKeyAndReplayed() throws Exception {
        stripe.faults().serverErrorAfterApplyingNext(1);

        HttpResponse<String> first = post("/v1/customers", form("name", "Ada"), "key-500");
        HttpResponse<String> retry = post("/v1/customers", form("name", "Ada"), "key-500");

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(retry.statusCode()).isEqualTo(500);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(stripe.customers()).hasSize(1);
        assertThat(stripe.answeredWith(500)).containsExactlyElementsOf(stripe.requests());
        assertThat(stripe.answeredWith(200)).isEmpty();
    }

    @Test
    void droppedConnectionLosesTheAnswerButKeepsTheWrite() throws Exception {
        stripe.faults().dropConnectionAfterApplyingNext(1);

        assertThatThrownBy(() -> post("/v1/customers", form("name", "Ada"), "key-drop")).isInstanceOf(IOException.class);
        HttpResponse<String> retry = post("/v1/customers", form("name", "Ada"), "key-drop");

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).get("id").asText()).isEqualTo(stripe.customers().getFirst().id());
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void injectedErrorChangesNothing() throws Exception {
        stripe.faults().rejectNext(1, 400, "invalid_request_error", "email_invalid", "Invalid email address", "email");

        HttpResponse<String> rejected = post("/v1/customers", form("name", "Ada"), "key-1");
        HttpResponse<String> retried = post("/v1/customers", form("name", "Ada"), "key-1");

        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(json(rejected).at("/error/code").asText()).isEqualTo("email_invalid");
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void latencyDelaysEveryAnswer() throws Exception {
        stripe.faults().latency(Duration.ofMillis(250));

        long started = System.nanoTime();
        send("GET", "/v1/customers", Map.of(), null, KEY);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void anEditOnStripesSideLandsBeforeAWriteStillWaitingOutItsLatencyAndKeepsTheMetadata() throws Exception {
        FakeCustomer seeded = stripe.seedCustomer("Ada", "ada@example.io", Map.of("stripe_sync_id", "a-1"));
        stripe.faults().latency(Duration.ofMillis(500));
        CompletableFuture<HttpResponse<String>> ours = http.sendAsync(HttpRequest.newBuilder(uri("/v1/customers/" + seeded.id()))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=Ours")).build(), HttpResponse.BodyHandlers.ofString());
        await().until(() -> stripe.requests().size() == 1);

        FakeCustomer edited = stripe.editCustomer(seeded.id(), "Dashboard", "ada@example.io");

        assertThat(edited.name()).isEqualTo("Dashboard");
        assertThat(edited.metadata()).containsEntry("stripe_sync_id", "a-1");
        assertThat(ours.join().statusCode()).isEqualTo(200);
        assertThat(stripe.customer(seeded.id()).orElseThrow().name()).as("our write landed last").isEqualTo("Ours");
    }

    @Test
    void recordsMethodPathHeadersParamsAndArrival() throws Exception {
        Instant before = Instant.now();

        post("/v1/customers", form("name", "Ada", "metadata[stripe_sync_id]", "42"), "key-rec");

        assertThat(stripe.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/customers");
            assertThat(request.header("authorization")).contains("Bearer " + KEY);
            assertThat(request.idempotencyKey()).contains("key-rec");
            assertThat(request.params()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("name", "Ada", "metadata[stripe_sync_id]", "42"));
            assertThat(request.arrivedAt()).isBetween(before, Instant.now());
        });
    }

    @Test
    void countsTheMostConcurrentRequests() {
        stripe.faults().latency(Duration.ofMillis(300));

        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 4)
                .mapToObj(i -> http.sendAsync(get("/v1/customers"), HttpResponse.BodyHandlers.ofString()))
                .toList();
        calls.forEach(CompletableFuture::join);

        assertThat(stripe.maxConcurrentRequests()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(4);
    }

    @Test
    void countsTheClientConnectionsRequestsCameOn() throws Exception {
        http.send(get("/v1/customers"), HttpResponse.BodyHandlers.discarding());
        http.send(get("/v1/customers"), HttpResponse.BodyHandlers.discarding());
        assertThat(stripe.connectionsUsed()).as("one kept-alive connection").isEqualTo(1);

        try (HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            other.send(get("/v1/customers"), HttpResponse.BodyHandlers.discarding());
        }
        assertThat(stripe.connectionsUsed()).isEqualTo(2);

        stripe.clearRequests();
        assertThat(stripe.connectionsUsed()).isZero();
    }

    @Test
    void unrecognizedUrlIsNotFound() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/charges", Map.of(), null, KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).at("/error/message").asText()).contains("Unrecognized request URL");
    }

    private String createAda() throws Exception {
        return json(post("/v1/customers",
                form("name", "Ada Lovelace", "email", "ada@example.com", "metadata[stripe_sync_id]", "42"), "create-ada"))
                .get("id").asText();
    }

    private HttpResponse<String> post(String path, Map<String, String> form, String idempotencyKey) throws Exception {
        return send("POST", path, form, idempotencyKey, KEY);
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> params,
                                      @Nullable String idempotencyKey, String apiKey) throws Exception {
        String encoded = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        boolean post = method.equals("POST");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(post || encoded.isEmpty() ? path : path + "?" + encoded))
                .header("Authorization", "Bearer " + apiKey)
                .method(method, post ? HttpRequest.BodyPublishers.ofString(encoded) : HttpRequest.BodyPublishers.noBody());
        if (post) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + KEY).GET().build();
    }

    private URI uri(String path) {
        return URI.create(stripe.apiBase() + path);
    }

    private static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(customer -> ids.add(customer.get("id").asText()));
        return ids;
    }
}
