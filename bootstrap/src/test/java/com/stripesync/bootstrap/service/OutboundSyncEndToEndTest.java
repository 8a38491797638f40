package com.stripesync.bootstrap.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.topic.SyncTopics;
import com.stripesync.kafka.worker.DeadLetterHeaders;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.postgres.TestDatabases;
import com.stripesync.testing.stripe.FakeCustomer;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local changes reach (the fake) Stripe through the outbox, real Kafka and real stripe-java HTTP calls. */
class OutboundSyncEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SYNC_WAIT = Duration.ofSeconds(30);

    private static FakeStripe stripe;
    private static RunningService service;

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        service = RunningService.over(TestDatabases.freshSchema(), RunningService.stripeAt(stripe, DeleteMode.DELETE));
    }

    @AfterAll
    static void stop() {
        service.close();
        stripe.close();
    }

    @AfterEach
    void clearFaults() {
        stripe.faults().clear();
        stripe.searchLag(Duration.ZERO);
    }

    @Test
    void createUpdateAndDeleteReachStripeOnceEachWithOurIdInMetadata() throws Exception {
        String id = register("Grace Hopper", uniqueEmail("grace"));
        String stripeId = awaitLink(id, "SYNCED").path("externalId").asText();
        assertThat(stripeId).startsWith("cus_");
        FakeCustomer created = stripe.customer(stripeId).orElseThrow();
        assertThat(created.name()).isEqualTo("Grace Hopper");
        assertThat(created.metadata()).containsEntry("stripe_sync_id", id);

        String newEmail = uniqueEmail("hopper");
        assertThat(service.putJson("/api/customers/" + id, "{\"name\":\"Grace B. Hopper\",\"email\":\"" + newEmail + "\"}",
                "\"1\"").statusCode()).isEqualTo(200);
        await().atMost(SYNC_WAIT).until(() -> newEmail.equals(stripe.customer(stripeId).orElseThrow().email()));

        assertThat(service.delete("/api/customers/" + id).statusCode()).isEqualTo(204);
        await().atMost(SYNC_WAIT).until(() -> stripe.customer(stripeId).map(FakeCustomer::deleted).orElse(true));

        List<RecordedRequest> writes = writesFor(stripeId, id);
        assertThat(writes).extracting(RecordedRequest::method).containsExactly("POST", "POST", "DELETE");
        assertThat(writes).allSatisfy(write -> assertThat(write.idempotencyKey()).isPresent());
    }

    @Test
    void aWriteAppliedButAnswered500LeavesExactlyOneStripeCustomer() throws Exception {
        // Stripe keeps the 500 under the key, so the retry runs under a new key after a lookup that must see the
        // customer just created although search has not indexed it yet.
        stripe.searchLag(Duration.ofMinutes(1));
        stripe.faults().serverErrorAfterApplyingNext(1);
        String id = register("Five Hundred", uniqueEmail("fivehundred"));

        String stripeId = awaitLink(id, "SYNCED").path("externalId").asText();

        assertThat(stripe.answeredWith(500))
                .filteredOn(request -> request.path().equals("/v1/customers"))
                .filteredOn(request -> id.equals(request.params().get("metadata[stripe_sync_id]")))
                .isNotEmpty();
        assertThat(stripe.customers()).filteredOn(customer -> id.equals(customer.metadata().get("stripe_sync_id")))
                .singleElement()
                .satisfies(customer -> assertThat(customer.id()).isEqualTo(stripeId));
    }

    @Test
    void noRequestIsSentAgainBeforeStripesRetryAfter() throws Exception {
        stripe.faults().rateLimitNext(1, Duration.ofSeconds(2));
        String id = register("Patient", uniqueEmail("patient"));

        awaitLink(id, "SYNCED");

        List<RecordedRequest> creates = stripe.requests().stream()
                .filter(request -> request.method().equals("POST") && request.path().equals("/v1/customers"))
                .filter(request -> id.equals(request.params().get("metadata[stripe_sync_id]")))
                .toList();
        assertThat(creates).hasSize(2);
        Duration waited = Duration.between(creates.get(0).arrivedAt(), creates.get(1).arrivedAt());
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    }

    @Test
    void aPermanentRefusalEndsFailedWithTheErrorVisibleAndDoesNotBlockOthersAndALaterEditSyncsIt() throws Exception {
        stripe.faults().rejectNext(1, 400, "invalid_request_error", "email_invalid", "Invalid email address", "email");
        String refused = register("Refused", uniqueEmail("refused"));
        JsonNode failed = awaitLink(refused, "FAILED");
        assertThat(failed.path("lastError").asText()).contains("Invalid email address");

        ConsumerRecord<String, String> deadLetter = awaitDeadLetter(refused);
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                .contains("Invalid email address");

        String other = register("Unaffected", uniqueEmail("unaffected"));
        awaitLink(other, "SYNCED");

        assertThat(service.putJson("/api/customers/" + refused, "{\"name\":\"Refused\",\"email\":\""
                + uniqueEmail("fixed") + "\"}", "\"1\"").statusCode()).isEqualTo(200);
        JsonNode synced = awaitLink(refused, "SYNCED");
        assertThat(synced.path("lastError").isNull()).isTrue();
    }

    private static ConsumerRecord<String, String> awaitDeadLetter(String customerId) {
        String topic = SyncTopics.of(new KafkaSettings(SharedKafka.bootstrapServers(),
                service.settings().kafka().topicPrefix(), 1, (short) 1, "unused")).deadLetter(new SystemName("stripe"));
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(SYNC_WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(record -> customerId.equals(record.key()));
            });
            return seen.stream().filter(record -> customerId.equals(record.key())).findFirst().orElseThrow();
        }
    }

    private static List<RecordedRequest> writesFor(String stripeId, String localId) {
        return stripe.writes().stream()
                .filter(write -> write.path().endsWith(stripeId)
                        || localId.equals(write.params().get("metadata[stripe_sync_id]")))
                .toList();
    }

    static String register(String name, String email) throws Exception {
        HttpResponse<String> created = service.postJson("/api/customers",
                "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        assertThat(body.path("links").path("stripe").path("status").asText()).isEqualTo("PENDING");
        return body.path("id").asText();
    }

    static JsonNode awaitLink(String id, String status) {
        return await().atMost(SYNC_WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(service.get("/api/customers/" + id).body()).path("links").path("stripe"),
                        link -> status.equals(link.path("status").asText()));
    }

    static String uniqueEmail(String who) {
        return who + "-" + UUID.randomUUID() + "@example.com";
    }
}
