package com.stripesync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service as a child JVM in its embedded mode (its own PostgreSQL and Kafka), started as a
 * user starts it, with only the environment given here: inherited {@code DB_}, {@code KAFKA_},
 * {@code SERVER_} and {@code STRIPE_} variables are dropped.
 */
final class ServiceUnderTest implements AutoCloseable {

    private static final Duration HEALTH_POLL = Duration.ofMillis(250);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final Path dataDir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceUnderTest(Process process, Path log, Path dataDir, int port) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
        this.port = port;
    }

    static ServiceUnderTest start(Path jar, List<String> jvmArgs, Map<String, String> settings, Path dataDir, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing. The benchmark builds nothing itself: package the "
                    + "service first (./mvnw -B -DskipTests package), or name the jar with --jar");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("KAFKA_")
                || name.startsWith("SERVER_") || name.startsWith("STRIPE_"));
        builder.environment().putAll(settings);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        builder.environment().put("STRIPE_SYNC_DATA_DIR", dataDir.toString());
        try {
            return new ServiceUnderTest(builder.start(), log, dataDir, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits for {@code /observe/health} to answer 2xx; fails with the log's tail if the process ends or time runs out. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited with " + process.exitValue() + " before it was healthy:\n"
                        + logTail());
            }
            try {
                int status = http.send(HttpRequest.newBuilder(uri("/observe/health")).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(HEALTH_POLL);
        }
        throw new IllegalStateException("The service was not healthy within " + timeout.toSeconds() + " s:\n" + logTail());
    }

    Path log() {
        return log;
    }

    /**
     * SIGTERM, then SIGKILL after a grace period. After a SIGKILL the embedded PostgreSQL (detached from the
     * JVM by {@code pg_ctl}) would outlive it: it is stopped through its {@code postmaster.pid}.
     */
    @Override
    public void close() throws InterruptedException {
        http.close();
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroy();
        if (process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            return;
        }
        System.err.println("The service did not stop within " + STOP_GRACE.toSeconds() + " s of SIGTERM: killing it");
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        embeddedPostgres().ifPresent(postgres -> {
            postgres.destroy();
            postgres.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(timeout -> {
                postgres.destroyForcibly();
                return postgres;
            }).join();
        });
    }

    private Optional<ProcessHandle> embeddedPostgres() {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).getFirst().strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().command().map(command -> command.contains("postgres")).orElse(false));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
