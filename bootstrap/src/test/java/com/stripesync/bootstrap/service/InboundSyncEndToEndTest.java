package com.stripesync.bootstrap.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.testing.postgres.TestDatabase;
import com.stripesync.testing.postgres.TestDatabases;
import com.stripesync.testing.stripe.FakeCustomer;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import com.stripesync.testing.stripe.StripeEvents;
import com.stripesync.testing.stripe.StripeEvents.Customer;
import com.stripesync.testing.stripe.StripeWebhookSigner;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stripe webhooks through the real endpoint, real Kafka and real PostgreSQL into the local catalog. */
class InboundSyncEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T = Instant.now().minusSeconds(3_600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private static FakeStripe stripe;
    private static TestDatabase database;
    private static RunningService service;

    @BeforeAll
    static void start() {
        stripe = FakeStripe.start();
        database = TestDatabases.freshSchema();
        service = RunningService.over(database, RunningService.stripeAt(stripe, DeleteMode.DELETE));
    }

    @AfterAll
    static void stop() {
        service.close();
        stripe.close();
    }

    @Test
    void aCustomerCreatedInTheDashboardIsImportedLinkedAndCausesNoStripeRequestAtAll() throws Exception {
        Customer dashboard = StripeEvents.customer();
        int requestsBefore = stripe.requests().size();

        HttpResponse<String> answer = service.postWebhook(StripeEvents.created(dashboard).toBytes());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("queued").asBoolean()).isTrue();
        JsonNode imported = awaitByEmail(dashboard.email());
        assertThat(imported.path("name").asText()).isEqualTo(dashboard.name());
        assertThat(imported.path("links").path("stripe").path("externalId").asText()).isEqualTo(dashboard.id());
        assertThat(imported.path("links").path("stripe").path("status").asText()).isEqualTo("SYNCED");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> stripe.requests().size() == requestsBefore);
    }

    @Test
    void thirtyTwoConcurrentSendersAreAllAcceptedAndEveryCustomersCreateAndUpdateAreAppliedOnce() throws Exception {
        int senders = 32;
        int customersPerSender = 5;
        String tag = UUID.randomUUID().toString().substring(0, 8);
        int requestsBefore = stripe.requests().size();
        List<Customer> updated = new ArrayList<>();
        List<Future<List<Integer>>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(senders)) {
            for (int sender = 0; sender < senders; sender++) {
                List<Customer> mine = new ArrayList<>();
                for (int i = 0; i < customersPerSender; i++) {
                    mine.add(StripeEvents.customer().withName("Burst " + tag + " " + sender + "-" + i)
                            .withEmail("burst-" + tag + "-" + sender + "-" + i + "@example.io").withCreated(T));
                }
                mine.forEach(customer -> updated.add(customer.withName(customer.name() + " renamed")
                        .withEmail("renamed-" + customer.email())));
                answers.add(threads.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (Customer customer : mine) {
                        statuses.add(service.postWebhook(StripeEvents.created(customer).withCreated(T).toBytes()).statusCode());
                        Customer renamed = customer.withName(customer.name() + " renamed").withEmail("renamed-" + customer.email());
                        statuses.add(service.postWebhook(StripeEvents.updated(renamed,
                                Map.of("name", customer.name(), "email", customer.email())).withCreated(T.plusSeconds(1))
                                .toBytes()).statusCode());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> answer : answers) {
                assertThat(answer.get()).as("no webhook refused under load").containsOnly(200);
            }
        }

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, String> namesByEmail = new java.util.HashMap<>();
            for (JsonNode customer : list()) {
                if (customer.path("email").asText().contains(tag)) {
                    assertThat(namesByEmail.put(customer.path("email").asText(), customer.path("name").asText()))
                            .as("one customer per email").isNull();
                }
            }
            assertThat(namesByEmail).hasSize(senders * customersPerSender);
            for (Customer customer : updated) {
                assertThat(namesByEmail).containsEntry(customer.email(), customer.name());
            }
        });
        assertThat(stripe.requests()).hasSize(requestsBefore);
    }

    @Test
    void theSameEventDeliveredThreeTimesIsAppliedOnce() throws Exception {
        Customer dashboard = StripeEvents.customer();
        byte[] event = StripeEvents.created(dashboard).toBytes();

        for (int i = 0; i < 3; i++) {
            assertThat(service.postWebhook(event).statusCode()).isEqualTo(200);
        }

        JsonNode imported = awaitByEmail(dashboard.email());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> byEmail(dashboard.email()).map(customer -> customer.path("version").asLong()).orElse(0L) == 1L);
        assertThat(list().stream().filter(customer -> dashboard.id().equals(
                customer.path("links").path("stripe").path("externalId").asText()))).hasSize(1);
        assertThat(imported.path("version").asLong()).isEqualTo(1);
    }

    @Test
    void aFailureBeforeTheCommitLeavesNeitherLedgerEntryNorCustomerAndTheRetryAppliesTheEventOnce() throws Exception {
        Customer dashboard = StripeEvents.customer();
        StripeEvents.Event created = StripeEvents.created(dashboard);
        // Fails every insert of this customer, counting the tries in a sequence (which a rollback does not undo).
        execute("CREATE SEQUENCE failed_inserts");
        execute("CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " PERFORM nextval('failed_inserts'); RAISE EXCEPTION 'injected failure'; END $$");
        execute("CREATE TRIGGER fail_insert BEFORE INSERT ON customers FOR EACH ROW"
                + " WHEN (NEW.email = '" + dashboard.email() + "') EXECUTE FUNCTION fail_insert()");
        try {
            assertThat(service.postWebhook(created.toBytes()).statusCode()).isEqualTo(200);

            await().atMost(WAIT).until(() -> count("SELECT count(*) FROM failed_inserts WHERE is_called") == 1);
            assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = '" + created.id() + "'")).isZero();
            assertThat(count("SELECT count(*) FROM customers WHERE email = '" + dashboard.email() + "'")).isZero();
        } finally {
            execute("DROP TRIGGER fail_insert ON customers");
            execute("DROP FUNCTION fail_insert()");
            execute("DROP SEQUENCE failed_inserts");
        }

        JsonNode applied = awaitByEmail(dashboard.email());
        assertThat(applied.path("version").asLong()).isEqualTo(1);
        assertThat(applied.path("links").path("stripe").path("externalId").asText()).isEqualTo(dashboard.id());
        awaitProcessed(created.id());
        assertThat(count("SELECT count(*) FROM customers WHERE email = '" + dashboard.email() + "'")).isEqualTo(1);
    }

    @Test
    void aDashboardEditAppliedWhileOurWriteIsHeldBackEndsWithBothSidesEqualAndNoExtraWrite() throws Exception {
        concurrentEditsConverge(false);
    }

    @Test
    void ourWriteLandingAfterADashboardEditButBeforeItsWebhookEndsWithBothSidesEqualAndNoExtraWrite() throws Exception {
        concurrentEditsConverge(true);
    }

    /**
     * A local edit whose write is held back (latency) while the customer is edited in the Dashboard: Stripe applies
     * the Dashboard edit, then ours. Its webhook is applied here while our write is held, or after it landed;
     * then comes the echo of our write, as Stripe sends it. Both sides must end with what Stripe holds last.
     */
    private static void concurrentEditsConverge(boolean ourWriteLandsBeforeTheDashboardWebhook) throws Exception {
        String email = "converge-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = service.postJson("/api/customers", "{\"name\":\"Converge\",\"email\":\"" + email + "\"}");
        String id = JSON.readTree(created.body()).path("id").asText();
        String stripeId = awaitLink(id, "SYNCED").path("externalId").asText();
        Customer inStripe = StripeEvents.customer(stripeId).withEmail(email).withLocalId(id);
        int writesBefore = stripe.writes().size();

        stripe.faults().latency(Duration.ofSeconds(5));
        try {
            assertThat(service.putJson("/api/customers/" + id, "{\"name\":\"Local Edit\",\"email\":\"" + email + "\"}",
                    "\"1\"").statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> stripe.writes().size() == writesBefore + 1);
            stripe.editCustomer(stripeId, "Dashboard Edit", email);
            StripeEvents.Event dashboardEdit = StripeEvents.updated(inStripe.withName("Dashboard Edit"),
                    Map.of("name", "Converge")).withCreated(T.plusSeconds(30));
            if (ourWriteLandsBeforeTheDashboardWebhook) {
                await().atMost(WAIT).until(() -> "Local Edit".equals(stripe.customer(stripeId).orElseThrow().name()));
                awaitLink(id, "SYNCED");
                service.postWebhook(dashboardEdit.toBytes());
                await().atMost(WAIT).until(() -> "Dashboard Edit".equals(customer(id).path("name").asText()));
            } else {
                service.postWebhook(dashboardEdit.toBytes());
                await().atMost(WAIT).until(() -> "Dashboard Edit".equals(customer(id).path("name").asText()));
                assertThat(stripe.customer(stripeId).orElseThrow().name()).as("our write is still held back")
                        .isEqualTo("Dashboard Edit");
                await().atMost(WAIT).until(() -> "Local Edit".equals(stripe.customer(stripeId).orElseThrow().name()));
            }
        } finally {
            stripe.faults().clear();
        }
        assertThat(customer(id).path("name").asText()).as("the sides differ until the echo").isEqualTo("Dashboard Edit");

        service.postWebhook(StripeEvents.updated(inStripe.withName("Local Edit"), Map.of("name", "Dashboard Edit"))
                .withCreated(T.plusSeconds(31)).causedBy(keyOfWrite(id, "POST", "/v1/customers/" + stripeId)).toBytes());

        await().atMost(WAIT).until(() -> "Local Edit".equals(customer(id).path("name").asText()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> stripe.writes().size() == writesBefore + 1);
        JsonNode local = customer(id);
        FakeCustomer remote = stripe.customer(stripeId).orElseThrow();
        assertThat(local.path("name").asText()).isEqualTo(remote.name());
        assertThat(local.path("email").asText()).isEqualTo(remote.email());
        assertThat(local.path("links").path("stripe").path("status").asText()).isEqualTo("SYNCED");
    }

    @Test
    void aStripeCustomerWithTheEmailOfALocalCustomerNotLinkedToStripeIsLinkedToItInsteadOfImported() throws Exception {
        String email = "match-" + UUID.randomUUID() + "@example.com";
        // Stripe refuses our create for good: the local customer stays without a Stripe id (FAILED).
        stripe.faults().rejectNext(1, 400, "invalid_request_error", "email_invalid", "Invalid email address", "email");
        HttpResponse<String> created = service.postJson("/api/customers", "{\"name\":\"Local\",\"email\":\"" + email + "\"}");
        String id = JSON.readTree(created.body()).path("id").asText();
        assertThat(awaitLink(id, "FAILED").path("externalId").isNull()).isTrue();
        Customer dashboard = StripeEvents.customer().withName("Made In The Dashboard").withEmail(email);
        int requestsBefore = stripe.requests().size();

        assertThat(service.postWebhook(StripeEvents.created(dashboard).toBytes()).statusCode()).isEqualTo(200);

        JsonNode link = awaitLink(id, "SYNCED");
        assertThat(link.path("externalId").asText()).isEqualTo(dashboard.id());
        assertThat(list().stream().filter(customer -> email.equals(customer.path("email").asText()))).singleElement()
                .satisfies(customer -> {
                    assertThat(customer.path("id").asText()).isEqualTo(id);
                    assertThat(customer.path("name").asText()).isEqualTo("Made In The Dashboard");
                });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> stripe.requests().size() == requestsBefore);
    }

    @Test
    void anUpdateArrivingBeforeItsCreateImportsTheUpdatedValuesAndTheLateCreateIsIgnored() throws Exception {
        Customer original = StripeEvents.customer().withCreated(T);
        Customer renamed = original.withName("Ada King").withEmail("king-" + UUID.randomUUID() + "@example.com");

        service.postWebhook(StripeEvents.updated(renamed, Map.of("name", original.name(), "email", original.email()))
                .withCreated(T.plusSeconds(5)).toBytes());
        awaitByEmail(renamed.email());
        service.postWebhook(StripeEvents.created(original).withCreated(T).toBytes());

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> byEmail(original.email()).isEmpty());
        JsonNode local = byEmail(renamed.email()).orElseThrow();
        assertThat(local.path("name").asText()).isEqualTo("Ada King");
        assertThat(local.path("version").asLong()).isEqualTo(1);
    }

    @Test
    void twoUpdatesInTheSameSecondEndWithStripesCurrentStateInEitherDeliveryOrder() throws Exception {
        for (boolean latestFirst : new boolean[] {true, false}) {
            String finalEmail = "final-" + UUID.randomUUID() + "@example.com";
            FakeCustomer current = stripe.seedCustomer("Final Name", finalEmail, Map.of());
            Customer original = StripeEvents.customer(current.id()).withName("Original")
                    .withEmail("original-" + UUID.randomUUID() + "@example.com").withCreated(T);
            Customer first = original.withName("Intermediate");
            Customer last = original.withName("Final Name").withEmail(finalEmail);
            service.postWebhook(StripeEvents.created(original).withCreated(T).toBytes());
            awaitByEmail(original.email());

            byte[] firstUpdate = StripeEvents.updated(first, Map.of("name", "Original")).withCreated(T.plusSeconds(9)).toBytes();
            byte[] lastUpdate = StripeEvents.updated(last, Map.of("name", "Intermediate", "email", original.email()))
                    .withCreated(T.plusSeconds(9)).toBytes();
            for (byte[] event : latestFirst ? List.of(lastUpdate, firstUpdate) : List.of(firstUpdate, lastUpdate)) {
                assertThat(service.postWebhook(event).statusCode()).isEqualTo(200);
            }

            await().atMost(WAIT).until(() -> byEmail(finalEmail).isPresent());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> byEmail(finalEmail).map(c -> c.path("name").asText()).orElse("").equals("Final Name"));
        }
    }

    @Test
    void anEventInAnotherApiVersionIsAppliedToo() throws Exception {
        Customer dashboard = StripeEvents.customer();

        service.postWebhook(StripeEvents.created(dashboard).withApiVersion("2020-08-27").toBytes());

        assertThat(awaitByEmail(dashboard.email()).path("name").asText()).isEqualTo(dashboard.name());
    }

    @Test
    void echoesOfOurOwnCreateUpdateAndDeleteChangeNothingAndCauseNoFurtherStripeCall() throws Exception {
        String email = "echo-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = service.postJson("/api/customers", "{\"name\":\"Echo\",\"email\":\"" + email + "\"}");
        String id = JSON.readTree(created.body()).path("id").asText();
        String stripeId = awaitLink(id, "SYNCED").path("externalId").asText();
        Customer inStripe = StripeEvents.customer(stripeId).withName("Echo").withEmail(email).withLocalId(id);
        service.postWebhook(StripeEvents.created(inStripe).withCreated(T).causedBy(keyOfWrite(id, "POST", "/v1/customers"))
                .toBytes());
        assertThat(service.putJson("/api/customers/" + id, "{\"name\":\"Echo Two\",\"email\":\"" + email + "\"}", "\"1\"")
                .statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "Echo Two".equals(stripe.customer(stripeId).orElseThrow().name()));
        awaitLink(id, "SYNCED");
        String keyOfVersionTwo = keyOfWrite(id, "POST", "/v1/customers/" + stripeId);

        // Version 3 waits to reach Stripe (its write is held back) when the echo of version 2 arrives.
        stripe.faults().latency(Duration.ofSeconds(8));
        try {
            assertThat(service.putJson("/api/customers/" + id, "{\"name\":\"Echo Three\",\"email\":\"" + email + "\"}",
                    "\"2\"").statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> stripe.writes().stream().anyMatch(write -> write.path().endsWith(stripeId)
                    && "Echo Three".equals(write.params().get("name"))));
            int requestsBeforeTheEcho = stripe.requests().size();
            StripeEvents.Event echoOfVersionTwo = StripeEvents.updated(inStripe.withName("Echo Two"), Map.of("name", "Echo"))
                    .withCreated(T.plusSeconds(10)).causedBy(keyOfVersionTwo);

            service.postWebhook(echoOfVersionTwo.toBytes());

            awaitProcessed(echoOfVersionTwo.id());
            assertThat(stripe.requests()).as("no Stripe read or write for the echo").hasSize(requestsBeforeTheEcho);
            JsonNode local = customer(id);
            assertThat(local.path("version").asLong()).as("no change applied from the echo").isEqualTo(3);
            assertThat(local.path("name").asText()).isEqualTo("Echo Three");
            assertThat(local.path("links").path("stripe").path("status").asText()).as("version 3 still waits").isEqualTo("PENDING");
        } finally {
            stripe.faults().clear();
        }
        await().atMost(WAIT).until(() -> "Echo Three".equals(stripe.customer(stripeId).orElseThrow().name()));
        awaitLink(id, "SYNCED");

        assertThat(service.delete("/api/customers/" + id).statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> stripe.customer(stripeId).map(FakeCustomer::deleted).orElse(false));
        int requestsAfterDelete = stripe.requests().size();
        StripeEvents.Event deleteEcho = StripeEvents.deletedStub(stripeId).withCreated(T.plusSeconds(20))
                .causedBy(keyOfWrite(id, "DELETE", "/v1/customers/" + stripeId));
        service.postWebhook(deleteEcho.toBytes());
        awaitProcessed(deleteEcho.id());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> stripe.requests().size() == requestsAfterDelete);
        assertThat(service.get("/api/customers/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void theEchoOfOurCreateArrivingBeforeTheApiAnswerTeachesTheLinkAndNoSecondCustomerAppears() throws Exception {
        // Stripe applies our create but its answers get lost for longer than the test waits (each attempt of the
        // worker costs two, the transport resending once): only the webhook can tell the link the Stripe id.
        stripe.faults().dropConnectionAfterApplyingNext(200);
        try {
            String email = "race-" + UUID.randomUUID() + "@example.com";
            HttpResponse<String> created = service.postJson("/api/customers", "{\"name\":\"Race\",\"email\":\"" + email + "\"}");
            String id = JSON.readTree(created.body()).path("id").asText();
            FakeCustomer applied = await().atMost(WAIT).until(() -> stripe.customers().stream()
                    .filter(customer -> id.equals(customer.metadata().get("stripe_sync_id"))).findFirst(), Optional::isPresent)
                    .orElseThrow();
            Customer echo = StripeEvents.customer(applied.id()).withName("Race").withEmail(email).withLocalId(id);

            service.postWebhook(StripeEvents.created(echo).causedBy(keyOfWrite(id, "POST", "/v1/customers")).toBytes());

            JsonNode taught = await().atMost(WAIT).until(() -> awaitLinkNow(id),
                    link -> applied.id().equals(link.path("externalId").asText()));
            assertThat(taught.path("status").asText()).as("learnt from the webhook, not from an answer").isEqualTo("PENDING");
            stripe.faults().clear();
            awaitLink(id, "SYNCED");
            assertThat(list().stream().filter(customer -> email.equals(customer.path("email").asText()))).hasSize(1);
            assertThat(stripe.customers().stream().filter(customer -> id.equals(customer.metadata().get("stripe_sync_id"))))
                    .hasSize(1);
        } finally {
            stripe.faults().clear();
        }
    }

    @Test
    void aDeletedStubDeletesTheLocalCustomerAndAStaleUpdateDoesNotBringItBack() throws Exception {
        Customer dashboard = StripeEvents.customer().withCreated(T);
        service.postWebhook(StripeEvents.created(dashboard).withCreated(T).toBytes());
        String id = awaitByEmail(dashboard.email()).path("id").asText();

        service.postWebhook(StripeEvents.deletedStub(dashboard.id()).withCreated(T.plusSeconds(20)).toBytes());
        await().atMost(WAIT).until(() -> service.get("/api/customers/" + id).statusCode() == 404);

        service.postWebhook(StripeEvents.updated(dashboard.withName("Zombie"), Map.of("name", dashboard.name()))
                .withCreated(T.plusSeconds(10)).toBytes());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> service.get("/api/customers/" + id).statusCode() == 404);
    }

    @Test
    void aStripeCustomerWithoutEmailIsImportedWithoutOne() throws Exception {
        Customer dashboard = StripeEvents.customer().withEmail(null).withName("No Email " + UUID.randomUUID());

        service.postWebhook(StripeEvents.created(dashboard).toBytes());

        JsonNode imported = await().atMost(WAIT).until(() -> list().stream()
                .filter(customer -> dashboard.name().equals(customer.path("name").asText())).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(imported.path("email").isNull()).isTrue();
    }

    @Test
    void anEmailOfACustomerLinkedToAnotherStripeCustomerIsRecordedAsConflict() throws Exception {
        String email = "taken-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = service.postJson("/api/customers", "{\"name\":\"Owner\",\"email\":\"" + email + "\"}");
        awaitLink(JSON.readTree(created.body()).path("id").asText(), "SYNCED");
        Customer duplicate = StripeEvents.customer().withEmail(email).withName("Duplicate " + UUID.randomUUID());

        assertThat(service.postWebhook(StripeEvents.created(duplicate).toBytes()).statusCode()).isEqualTo(200);

        JsonNode conflicted = await().atMost(WAIT).until(() -> list().stream()
                .filter(customer -> duplicate.name().equals(customer.path("name").asText())).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(conflicted.path("links").path("stripe").path("status").asText()).isEqualTo("CONFLICT");
        assertThat(conflicted.path("links").path("stripe").path("lastError").asText()).contains(email);
        assertThat(conflicted.path("email").isNull()).isTrue();
    }

    @Test
    void invalidWebhooksAreRefusedWith400AndOtherEventTypesAcknowledgedWithoutQueueing() throws Exception {
        byte[] event = StripeEvents.created(StripeEvents.customer()).toBytes();
        assertThat(service.postWebhook(event, "").statusCode()).as("no signature").isEqualTo(400);
        assertThat(service.postWebhook(event, "t=1,v1=garbage").statusCode()).as("garbled").isEqualTo(400);
        assertThat(service.postWebhook(event, StripeWebhookSigner.sign(event, "whsec_other", Instant.now())).statusCode())
                .as("another secret").isEqualTo(400);
        assertThat(service.postWebhook(event, StripeWebhookSigner.sign(event, RunningService.WEBHOOK_SECRET,
                Instant.now().minusSeconds(600))).statusCode()).as("stale timestamp").isEqualTo(400);
        assertThat(service.postWebhook("not json".getBytes(StandardCharsets.UTF_8)).statusCode()).as("not JSON").isEqualTo(400);
        assertThat(service.postWebhook("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)).statusCode()).as("not an event")
                .isEqualTo(400);
        assertThat(service.postWebhookAnnounced(new byte[1_100_000]).statusCode()).as("over 1 MiB").isEqualTo(413);

        HttpResponse<String> other = service.postWebhook(StripeEvents.event("invoice.paid", Map.of("id", "in_1",
                "object", "invoice")).toBytes());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(other.body()).path("queued").asBoolean()).isFalse();
        JsonNode health = JSON.readTree(service.get("/observe/health").body());
        assertThat(health.findValue("ignoredEventsSinceStart").asLong()).as("acknowledged and counted").isPositive();
    }

    private static String keyOfWrite(String localId, String method, String path) {
        return stripe.requests().stream()
                .filter(request -> request.method().equals(method) && request.path().equals(path))
                .filter(request -> path.equals("/v1/customers")
                        ? localId.equals(request.params().get("metadata[stripe_sync_id]")) : true)
                .map(RecordedRequest::idempotencyKey)
                .flatMap(Optional::stream)
                .reduce((first, second) -> second)
                .orElseThrow();
    }

    private static JsonNode customer(String id) throws Exception {
        return JSON.readTree(service.get("/api/customers/" + id).body());
    }

    private static void awaitProcessed(String eventId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM processed_events WHERE event_id = '" + eventId + "'") == 1);
    }

    private static long count(String query) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static JsonNode awaitLink(String id, String status) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> awaitLinkNow(id), link -> status.equals(link.path("status").asText()));
    }

    private static JsonNode awaitLinkNow(String id) throws Exception {
        return JSON.readTree(service.get("/api/customers/" + id).body()).path("links").path("stripe");
    }

    private static JsonNode awaitByEmail(String email) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> byEmail(email), Optional::isPresent).orElseThrow();
    }

    private static Optional<JsonNode> byEmail(String email) throws Exception {
        JsonNode page = JSON.readTree(service.get("/api/customers?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)).body());
        JsonNode items = page.path("items");
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }

    private static List<JsonNode> list() throws Exception {
        List<JsonNode> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(service.get("/api/customers?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor)).body());
            page.path("items").forEach(all::add);
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return all;
    }
}
