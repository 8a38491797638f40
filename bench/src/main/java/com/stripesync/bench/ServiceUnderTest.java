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
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The packaged service as a child JVM in its embedded mode (its own PostgreSQL and Kafka), started as a
 * user starts it, with only the environment given here: inherited {@code DB_}, {@code KAFKA_},
 * {@code SERVER_} and {@code STRIPE_} variables are dropped. Each one gets a fresh data directory, deleted
 * when it is closed; a shutdown hook closes it if the benchmark ends early (an exception, Ctrl-C).
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
    private final Thread stopOnExit = new Thread(this::closeOnExit, "bench-stop-service");
    private @Nullable ProcessHandle postmaster;
    private boolean closed;

    private static final System.Logger LOG = System.getLogger(ServiceUnderTest.class.getName());

    /** What a benchmark says, and stops with, when the service jar to measure is not there. */
    static String missingJar(Path jar) {
        return jar + " is missing. The benchmark builds nothing itself: package the service first"
                + " (./mvnw -B -DskipTests package), or name the jar with --jar";
    }

    private ServiceUnderTest(Process process, Path log, Path dataDir, int port) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Starts the jar with {@code settings} as environment, its data in a new directory under {@code workDir}
     * and its output in {@code workDir/service-<tag>.log}.
     */
    static ServiceUnderTest start(Path jar, List<String> jvmArgs, Map<String, String> settings, Path workDir, String tag)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(missingJar(jar));
        }
        Path dataDir = Files.createTempDirectory(workDir, "data-" + tag + "-");
        Path log = logFile(workDir, tag);
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
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteTree(dataDir);
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        ServiceUnderTest service = new ServiceUnderTest(process, log, dataDir, port);
        Runtime.getRuntime().addShutdownHook(service.stopOnExit);
        return service;
    }

    /** Where the service started with {@code tag} writes its output. */
    static Path logFile(Path workDir, String tag) {
        return workDir.resolve("service-" + tag + ".log");
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

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * CPU time used so far by the service: its JVM (the in-process Kafka included) with any process below it,
     * and the embedded PostgreSQL with its backends. {@code pg_ctl} detaches PostgreSQL from the JVM (its
     * parent is init), so it is found through {@code postmaster.pid}, not among the JVM's descendants.
     */
    ServiceCpu cpuTime() {
        Set<Long> jvm = new LinkedHashSet<>();
        jvm.add(process.pid());
        process.descendants().forEach(child -> jvm.add(child.pid()));
        if (postmaster == null || !postmaster.isAlive()) {
            postmaster = embeddedPostgres().orElse(null);
        }
        Set<Long> postgres = new LinkedHashSet<>();
        if (postmaster != null) {
            postgres.add(postmaster.pid());
            postmaster.descendants().forEach(backend -> postgres.add(backend.pid()));
        }
        return new ServiceCpu(ProcessCpu.of(jvm), ProcessCpu.ofThreads(process.pid(), ServiceCpu.JIT),
                ProcessCpu.ofThreads(process.pid(), ServiceCpu.GC), ProcessCpu.ofThreads(process.pid(), ServiceCpu.KAFKA),
                ProcessCpu.of(postgres));
    }

    /** The last lines of the service's output, to explain a failure. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM, then SIGKILL after a grace period; then the embedded PostgreSQL, if it outlived the JVM
     * (detached from it by {@code pg_ctl}, it does after a SIGKILL or a crash), through its
     * {@code postmaster.pid}; then the data directory is deleted. Closing again does nothing.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself.
        }
        http.close();
        try {
            stopJvm();
            embeddedPostgres().ifPresent(orphan -> {
                LOG.log(System.Logger.Level.WARNING, "PostgreSQL (pid " + orphan.pid() + ") outlived the service: stopping it");
                orphan.destroy();
                orphan.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(timeout -> {
                    orphan.destroyForcibly();
                    return orphan;
                }).join();
            });
        } finally {
            deleteTree(dataDir);
        }
    }

    private void stopJvm() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroy();
        if (process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "The service did not stop within " + STOP_GRACE.toSeconds()
                + " s of SIGTERM: killing it");
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void closeOnExit() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not delete " + root + " entirely: " + e.getMessage());
        }
    }
}
