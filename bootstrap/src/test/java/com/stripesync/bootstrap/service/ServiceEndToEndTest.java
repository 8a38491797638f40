package com.stripesync.bootstrap.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.testing.postgres.DedicatedPostgres;
import com.stripesync.testing.postgres.TestDatabases;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wired service (real HTTP, real PostgreSQL): what only the whole can show. */
class ServiceEndToEndTest {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static RunningService service;

    @BeforeAll
    static void start() {
        service = RunningService.over(TestDatabases.freshSchema());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void tenConcurrentRegistrationsWithOneEmailGiveExactlyOneCreatedAndNineConflicts() throws Exception {
        String email = "race-" + UUID.randomUUID() + "@example.com";
        List<Integer> statuses = concurrently(10, i -> service.postJson("/api/customers",
                "{\"name\":\"Racer " + i + "\",\"email\":\"" + (i % 2 == 0 ? email : email.toUpperCase()) + "\"}"));

        Map<Integer, Long> counts = statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 409, 9L));
        HttpResponse<String> found = service.get("/api/customers?email=" + email);
        assertThat(found.body()).containsIgnoringCase(email).contains("\"version\":1");
    }

    @Test
    void twoConcurrentUpdatesWithTheSameIfMatchGiveOneSuccessAndOnePreconditionFailure() throws Exception {
        String id = register("Both", "both-" + UUID.randomUUID() + "@example.com");

        List<Integer> statuses = concurrently(2, i -> service.putJson("/api/customers/" + id,
                "{\"name\":\"Writer " + i + "\",\"email\":\"writer-" + i + "-" + UUID.randomUUID() + "@example.com\"}", "\"1\""));

        assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        HttpResponse<String> after = service.get("/api/customers/" + id);
        assertThat(after.headers().firstValue("ETag")).hasValue("\"2\"");
    }

    @Test
    void healthIsOkWithDetailsWhileTheDatabaseAnswers() {
        HttpResponse<String> health = service.get("/observe/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\"").contains("UP").contains("database");
    }

    @Test
    void healthIsUnavailableWhileTheDatabaseIsStoppedAndRecoversWhenItIsBack() {
        try (DedicatedPostgres postgres = DedicatedPostgres.start();
             RunningService own = RunningService.over(postgres.database())) {
            String id = register(own, "Survivor", "survivor-" + UUID.randomUUID() + "@example.com");
            assertThat(own.get("/observe/health").statusCode()).isEqualTo(200);

            postgres.stop();
            HttpResponse<String> down = own.get("/observe/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("DOWN");
            HttpResponse<String> read = own.get("/api/customers/" + id);
            assertThat(read.statusCode()).as("a read while the database is down").isEqualTo(503);
            assertThat(read.headers().firstValue("Retry-After")).isPresent();
            assertThat(own.postJson("/api/customers", "{\"name\":\"Lost\",\"email\":\"lost-" + UUID.randomUUID()
                    + "@example.com\"}").statusCode()).as("a write while the database is down").isEqualTo(503);

            postgres.restart();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> own.get("/observe/health").statusCode() == 200);
            assertThat(own.get("/api/customers/" + id).statusCode()).isEqualTo(200);
        }
    }

    private static String register(String name, String email) {
        return register(service, name, email);
    }

    private static String register(RunningService target, String name, String email) {
        HttpResponse<String> created = target.postJson("/api/customers",
                "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Matcher id = ID.matcher(created.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    /** Runs the requests at the same moment (released together by a latch) and returns their statuses. */
    private static List<Integer> concurrently(int count, Function<Integer, HttpResponse<String>> request) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<Integer> call = () -> {
                    start.await();
                    return request.apply(index).statusCode();
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            return statuses;
        }
    }
}
