package com.stripesync.bootstrap.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default, run as a user runs it: data survives kill -9, SIGTERM stops everything cleanly. */
class EmbeddedModeCrashIT {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(EmbeddedModeCrashIT.class.getName());

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    @TempDir
    Path workDir;

    @Test
    void acknowledgedWritesSurviveKillNineAndTheServiceIsHealthyAgainWithinFifteenSeconds() throws Exception {
        Path dataDir = workDir.resolve("data");
        Map<String, String> env = Map.of(
                "SERVER_PORT", Integer.toString(ServiceProcess.freePort()),
                "STRIPE_SYNC_DATA_DIR", dataDir.toString());
        List<String> created = new ArrayList<>();

        try (ServiceProcess first = ServiceProcess.start(env, workDir.resolve("first.log"))) {
            awaitHealthy(first, Duration.ofSeconds(90));
            assertThat(first.output()).contains("Embedded mode").contains(dataDir.toString());
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = first.send(HttpRequest.newBuilder(first.uri("/api/customers"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"Crash " + i + "\",\"email\":\"crash-" + i + "-" + UUID.randomUUID() + "@example.com\"}")));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                Matcher id = ID.matcher(response.body());
                assertThat(id.find()).isTrue();
                created.add(id.group(1));
            }
            // jOOQ's warning that PostgreSQL 17 is older than its dialect is silenced (logging.properties).
            assertThat(first.output()).doesNotContain("Version mismatch");
            first.kill();
            assertThat(first.process().isAlive()).isFalse();
        }
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        assertThat(pidFile).as("the killed JVM leaves its PostgreSQL behind").isRegularFile();
        long orphanPid = postmasterPid(pidFile);
        ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow(() ->
                new AssertionError("no process " + orphanPid + " from " + pidFile + " after kill -9"));
        assertThat(orphan.isAlive()).as("the PostgreSQL left behind (pid %s) still runs", orphanPid).isTrue();

        long restartedAt = System.nanoTime();
        try (ServiceProcess second = ServiceProcess.start(env, workDir.resolve("second.log"))) {
            awaitHealthy(second, Duration.ofSeconds(15));
            Duration recovery = Duration.ofNanos(System.nanoTime() - restartedAt);
            FIGURES.info("Healthy again " + recovery.toMillis() + " ms after restart following kill -9");
            // EmbeddedDatabase stops the orphan (it never reuses it) and starts a server of its own.
            assertThat(second.output())
                    .contains("Found PostgreSQL (pid " + orphanPid + ") still running on " + dataDir.resolve("postgres"));
            assertThat(orphan.isAlive()).as("the PostgreSQL left behind (pid %s) was stopped", orphanPid).isFalse();
            assertThat(postmasterPid(pidFile)).as("the restarted service's own PostgreSQL").isNotEqualTo(orphanPid);
            for (String id : created) {
                HttpResponse<String> response = second.send(HttpRequest.newBuilder(second.uri("/api/customers/" + id)).GET());
                assertThat(response.statusCode()).as("customer %s after the crash", id).isEqualTo(200);
                assertThat(response.body()).contains(id);
            }

            second.terminate();
            assertThat(second.process().waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s of SIGTERM").isTrue();
            // The JVM waits for its PostgreSQL to stop (pg_ctl stop -w) before it exits: no grace afterwards.
            assertThat(pidFile).as("the embedded PostgreSQL stopped with the service").doesNotExist();
            assertThat(second.process().exitValue()).as("a clean exit on SIGTERM").isIn(0, 143);
            assertThat(second.output()).contains("Stopping stripe-sync").doesNotContain("\tat ");
        }
    }

    /** The postmaster's pid: the first line of {@code postmaster.pid}. */
    private static long postmasterPid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
    }

    private static void awaitHealthy(ServiceProcess service, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .failFast("the service exited: " + service.output(), () -> !service.process().isAlive())
                .until(() -> service.healthStatus() == 200);
    }
}
