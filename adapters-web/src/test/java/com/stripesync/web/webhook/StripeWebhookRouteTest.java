package com.stripesync.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.application.inbound.WebhookIntake;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.stripe.webhook.StripeWebhookSettings;
import com.stripesync.stripe.webhook.StripeWebhookVerifier;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.testing.logging.LogCapture;
import com.stripesync.testing.stripe.StripeEvents;
import com.stripesync.testing.stripe.StripeWebhookSigner;
import com.stripesync.web.ApiClient;
import com.stripesync.web.Reply;
import com.stripesync.web.TestWiring;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import com.stripesync.web.WebhookEndpoint;
import com.stripesync.web.problem.ProblemErrorHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stripe's webhook through a real server, the real intake and verifier, and signed Stripe-like events:
 * only genuine, current events are queued, exactly as they were sent. Every answer is held against the
 * OpenAPI document by the client.
 */
@ServerTest
class StripeWebhookRouteTest {

    private static final String PATH = WebhookEndpoint.STRIPE_PATH;
    private static final String NEW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OLD_SECRET = "whsec_Q3v7OldSecretValue0000000000000000";
    private static final String INVALID_WEBHOOK = "urn:stripe-sync:problem:invalid-webhook";
    private static final int ONE_MIB = 1024 * 1024;
    private static final RecordingEventQueue QUEUE = new RecordingEventQueue();

    private final ApiClient api;

    StripeWebhookRouteTest(WebServer server) {
        this.api = new ApiClient(server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        WebApi.configureServer(server, WebSettings.defaults());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        StripeWebhookVerifier verifier = new StripeWebhookVerifier(StripeWebhookSettings.of(NEW_SECRET, OLD_SECRET));
        WebhookIntake intake = new WebhookIntake(verifier.system(), Optional.of(verifier), QUEUE);
        WebApi.routing(routing, TestWiring.useCases(new InMemoryCustomerCatalog()),
                List.of(new WebhookEndpoint(PATH, intake)));
    }

    @BeforeEach
    void emptyQueue() {
        QUEUE.reset();
    }

    @Test
    void aSignedCustomerEventIsAnswered200AndQueuedOnceWithItsExactBytes() {
        StripeEvents.Customer customer = StripeEvents.customer();
        byte[] body = StripeEvents.updated(customer, Map.of("email", "old@example.com")).toBytes();

        Reply reply = deliver(body, StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now()));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("received").asBoolean()).isTrue();
        assertThat(reply.json().path("queued").asBoolean()).isTrue();
        assertThat(QUEUE.queued()).singleElement().satisfies(queued -> {
            assertThat(queued.system()).isEqualTo(new SystemName("stripe"));
            assertThat(queued.event().payload()).isEqualTo(body);
            assertThat(queued.event().type()).isEqualTo("customer.updated");
            assertThat(queued.event().customer()).contains(new ExternalId(customer.id()));
        });
    }

    @Test
    void createdDeletedAndStubDeletedEventsAreQueuedToo() {
        StripeEvents.Customer customer = StripeEvents.customer();

        for (StripeEvents.Event event : List.of(StripeEvents.created(customer), StripeEvents.deleted(customer),
                StripeEvents.deletedStub(customer.id()))) {
            byte[] body = event.toBytes();
            assertThat(deliver(body, StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now())).json()
                    .path("queued").asBoolean()).isTrue();
        }

        assertThat(QUEUE.queued()).hasSize(3);
    }

    @Test
    void anEventOfAnotherTypeIsAcknowledgedButNotQueued() {
        byte[] body = StripeEvents.event("invoice.paid", Map.of("id", "in_1", "object", "invoice")).toBytes();

        Reply reply = deliver(body, StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("queued").asBoolean()).isFalse();
        assertThat(QUEUE.queued()).isEmpty();
    }

    @Test
    void whileASecretIsRolledTheOldAndTheNewAreBothAccepted() {
        byte[] first = StripeEvents.created(StripeEvents.customer()).toBytes();
        byte[] second = StripeEvents.created(StripeEvents.customer()).toBytes();
        byte[] third = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertThat(deliver(first, StripeWebhookSigner.sign(first, OLD_SECRET, Instant.now())).status()).isEqualTo(200);
        assertThat(deliver(second, StripeWebhookSigner.sign(second, NEW_SECRET, Instant.now())).status()).isEqualTo(200);
        assertThat(deliver(third, StripeWebhookSigner.sign(third, Instant.now(), List.of(NEW_SECRET, OLD_SECRET)))
                .status()).isEqualTo(200);

        assertThat(QUEUE.queued()).extracting(queued -> new String(queued.event().payload(), StandardCharsets.UTF_8))
                .containsExactly(new String(first, StandardCharsets.UTF_8), new String(second, StandardCharsets.UTF_8),
                        new String(third, StandardCharsets.UTF_8));
    }

    @Test
    void aDeliveryWithoutSignatureIsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        Reply reply = api.postBytes(PATH, StripeWebhookSigner.CONTENT_TYPE, body);

        assertRefused(reply, "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "t=abc,v1=00", "v1=00", "t=1795773600", "t=1795773600,v1=", ",,,",
            "t=1795773600, v1=00"})
    void aGarbledSignatureIsRefused(String header) {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertRefused(deliver(body, header), "malformed");
    }

    @Test
    void aSignatureMadeWithAnUnknownSecretIsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertRefused(deliver(body, StripeWebhookSigner.sign(body, "whsec_NotOurs000000000000", Instant.now())),
                "No signature");
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer().withName("Ada Lovelace")).toBytes();
        String signature = StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now());
        byte[] changed = new String(body, StandardCharsets.UTF_8).replace("Ada Lovelace", "Eve Attacker")
                .getBytes(StandardCharsets.UTF_8);

        assertRefused(deliver(changed, signature), "No signature");
    }

    @Test
    void aSignatureOlderThanFiveMinutesIsRefusedAsAReplay() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertRefused(deliver(body, StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now().minusSeconds(360))),
                "300 s old");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"id\":\"evt_1\",", "[]"})
    void aSignedBodyThatIsNotAJsonObjectIsRefused(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);

        assertRefused(deliver(body, StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now())), "JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}", "{\"id\":\"evt_1\"}",
            "{\"id\":\"cus_1\",\"object\":\"customer\",\"type\":\"individual\"}"})
    void aSignedJsonObjectThatIsNotAStripeEventIsRefused(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);

        assertRefused(deliver(body, StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now())), "not a Stripe event");
    }

    @Test
    void aRefusalQuotesNeitherTheSignatureNorTheBody() {
        byte[] body = StripeEvents.created(StripeEvents.customer().withName("Private Person")).toBytes();
        String signature = StripeWebhookSigner.sign(body, "whsec_NotOurs000000000000", Instant.now());

        Reply reply = deliver(body, signature);

        assertThat(reply.body()).doesNotContain("Private Person", signature.substring(signature.indexOf("v1=") + 3),
                "whsec_");
    }

    @Test
    void aRefusalIsLoggedWithItsReasonButNeitherTheBodyNorTheSignature() {
        byte[] body = StripeEvents.created(StripeEvents.customer().withName("Private Person")).toBytes();
        String signature = StripeWebhookSigner.sign(body, "whsec_NotOurs000000000000", Instant.now());
        List<LogRecord> records;
        try (LogCapture log = LogCapture.of(ProblemErrorHandler.class)) {
            deliver(body, signature);
            records = log.records();
        }

        assertThat(records).singleElement().satisfies(record -> assertThat(record.getMessage())
                .contains(PATH, "No signature")
                .doesNotContain("Private Person", signature.substring(signature.indexOf("v1=") + 3), "whsec_"));
    }

    @Test
    void whenTheQueueCannotStoreTheEventInTimeTheAnswerIs503WithRetryAfterWithinTheBound() {
        QUEUE.failAfter(Duration.ofMillis(300));
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        long started = System.nanoTime();
        Reply reply = deliver(body, StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).contains("5");
        assertThat(reply.json().path("type").asText()).isEqualTo("about:blank");
        assertThat(reply.body()).doesNotContain("broker");
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        assertThat(QUEUE.queued()).isEmpty();
    }

    @Test
    void aBodyAnnouncedOverOneMebibyteIsRefusedWith413BeforeItIsRead() {
        Reply reply = api.raw("POST", PATH, """
                POST %s HTTP/1.1\r
                Host: localhost\r
                Content-Type: application/json; charset=utf-8\r
                Stripe-Signature: t=1795773600,v1=00\r
                Content-Length: %d\r
                \r
                {"id":""".formatted(PATH, ONE_MIB + 1));

        assertThat(reply.status()).isEqualTo(413);
        assertThat(QUEUE.queued()).isEmpty();
    }

    @Test
    void aSignedEventOverOneMebibyteSentWholeIsRefusedWith413() {
        StripeEvents.Customer huge = StripeEvents.customer().withDescription("x".repeat(ONE_MIB));
        byte[] body = StripeEvents.created(huge).toBytes();
        byte[] head = ("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Stripe-Signature: " + StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now()) + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);

        Reply reply = api.raw("POST", PATH, request);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(QUEUE.queued()).isEmpty();
    }

    @Test
    void aSignedEventSentInChunksIsQueuedWithItsExactBytes() {
        StripeEvents.Customer customer = StripeEvents.customer();
        byte[] body = StripeEvents.created(customer).toBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        int half = text.length() / 2;
        String request = "POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Stripe-Signature: " + StripeWebhookSigner.sign(body, NEW_SECRET, Instant.now()) + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + chunk(text.substring(0, half)) + chunk(text.substring(half)) + "0\r\n\r\n";

        Reply reply = api.raw("POST", PATH, request);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(QUEUE.queued()).singleElement()
                .satisfies(queued -> assertThat(queued.event().payload()).isEqualTo(body));
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsRefusedWith413() {
        String chunk = " ".repeat(64 * 1024);
        StringBuilder request = new StringBuilder("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nStripe-Signature: t=1795773600,v1=00\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        for (int sent = 0; sent <= ONE_MIB; sent += chunk.length()) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");

        Reply reply = api.raw("POST", PATH, request.toString());

        assertThat(reply.status()).isEqualTo(413);
        assertThat(QUEUE.queued()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsOnTheWebhookPathAre405WithAllowPost(String method) {
        Reply reply = api.send(method, PATH, null, null);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).contains("POST");
    }

    private Reply deliver(byte[] body, String signature) {
        return api.postBytes(PATH, StripeWebhookSigner.CONTENT_TYPE, body, StripeWebhookSigner.HEADER, signature,
                "User-Agent", StripeWebhookSigner.USER_AGENT);
    }

    private static void assertRefused(Reply reply, String detail) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).contains("application/problem+json");
        assertThat(reply.json().path("type").asText()).isEqualTo(INVALID_WEBHOOK);
        assertThat(reply.json().path("detail").asText()).contains(detail);
        assertThat(QUEUE.queued()).isEmpty();
    }
}
