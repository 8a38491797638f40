package com.stripesync.bootstrap.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.testing.postgres.TestDatabases;
import com.stripesync.testing.stripe.FakeCustomer;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Many customers changing at once: concurrent Stripe calls, each customer's writes in order, both sides equal. */
class ScaleEndToEndTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(ScaleEndToEndTest.class.getName());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSIONED_NAME = Pattern.compile("Customer \\d+ v(\\d+)");
    private static final int CUSTOMERS = 100;
    private static final int UPDATES = 10;

    @Test
    void hundredCustomersTimesTenUpdatesReachStripeInVersionOrderConcurrentlyAndEndEqual() throws Exception {
        try (FakeStripe stripe = FakeStripe.start();
             RunningService service = RunningService.over(TestDatabases.freshSchema(),
                     // Live mode's budget: at 25 writes/s and ~150 ms a call, only ~4 calls are ever in flight.
                     RunningService.stripeAt(stripe, DeleteMode.DELETE, 100))) {
            stripe.faults().latency(Duration.ZERO, Duration.ofMillis(300));
            Map<String, String> emails = new ConcurrentHashMap<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                String email = "scale-" + UUID.randomUUID() + "@example.com";
                HttpResponse<String> created = service.postJson("/api/customers",
                        "{\"name\":\"Customer " + i + " v1\",\"email\":\"" + email + "\"}");
                assertThat(created.statusCode()).isEqualTo(201);
                String id = JSON.readTree(created.body()).path("id").asText();
                ids.add(id);
                emails.put(id, email);
            }
            try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
                List<Future<?>> updates = new ArrayList<>();
                for (int i = 0; i < CUSTOMERS; i++) {
                    int customer = i;
                    String id = ids.get(i);
                    updates.add(clients.submit(() -> {
                        for (int version = 2; version <= UPDATES + 1; version++) {
                            HttpResponse<String> updated = service.putJson("/api/customers/" + id,
                                    "{\"name\":\"Customer " + customer + " v" + version + "\",\"email\":\"" + emails.get(id)
                                            + "\"}", "\"" + (version - 1) + "\"");
                            assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
                        }
                        return null;
                    }));
                }
                for (Future<?> update : updates) {
                    update.get();
                }
            }

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> ids.stream()
                    .allMatch(id -> stripeCustomerOf(stripe, id).map(customer -> customer.name().endsWith(" v" + (UPDATES + 1)))
                            .orElse(false)));

            int writes = 0;
            int orderedSeries = 0;
            for (String id : ids) {
                JsonNode local = JSON.readTree(service.get("/api/customers/" + id).body());
                FakeCustomer remote = stripeCustomerOf(stripe, id).orElseThrow();
                assertThat(remote.name()).isEqualTo(local.path("name").asText());
                assertThat(remote.email()).isEqualTo(local.path("email").asText());
                List<Integer> versions = versionsWritten(stripe, remote.id(), id);
                assertThat(versions).as("versions written for %s, in arrival order", id)
                        .doesNotContain(-1).isSorted().doesNotHaveDuplicates().endsWith(UPDATES + 1);
                writes += versions.size();
                orderedSeries += versions.size() >= 3 ? 1 : 0;
            }
            // A change superseded before its turn is skipped (the later one carries the current state), so a customer
            // may see fewer writes than versions; enough must remain for their order to mean something.
            FIGURES.info("Fake Stripe received " + writes + " writes for " + CUSTOMERS + " customers (" + orderedSeries
                    + " with 3 or more), at most " + stripe.maxConcurrentRequests() + " concurrent requests");
            assertThat(orderedSeries).as("customers whose order was checked over 3 or more writes").isGreaterThanOrEqualTo(10);
            assertThat(stripe.maxConcurrentRequests()).isGreaterThanOrEqualTo(10);
        }
    }

    private static java.util.Optional<FakeCustomer> stripeCustomerOf(FakeStripe stripe, String id) {
        return stripe.customers().stream().filter(customer -> id.equals(customer.metadata().get("stripe_sync_id")))
                .findFirst();
    }

    /** The version numbers carried by the names of the writes Stripe received for one customer, in arrival order. */
    private static List<Integer> versionsWritten(FakeStripe stripe, String stripeId, String localId) {
        return stripe.writes().stream()
                .filter(write -> write.path().endsWith(stripeId) || localId.equals(write.params().get("metadata[stripe_sync_id]")))
                .filter(write -> write.params().containsKey("name"))
                .sorted(Comparator.comparing(RecordedRequest::arrivedAt))
                .map(write -> {
                    Matcher matcher = VERSIONED_NAME.matcher(write.params().get("name"));
                    return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
                })
                .toList();
    }
}
