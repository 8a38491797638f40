package com.stripesync.bootstrap.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The embedded default: a real PostgreSQL 17 (zonky binaries) keeping its data under the service's data
 * directory, so it survives restarts.
 *
 * <p>Text: a new data directory gets PostgreSQL's builtin {@code C.UTF-8} locale (code-point order, Unicode
 * case mapping), independent of the host's locale; one made before keeps the locale it was made with.
 *
 * <p>Durability: zonky turns {@code fsync} and {@code synchronous_commit} off by default; here both are
 * on, so an acknowledged write survives a crash of the machine too.
 *
 * <p>Crash recovery: the PostgreSQL server is a separate process. When the JVM is killed with
 * {@code kill -9} it keeps running and holds the data directory, so a restart first finds that orphan
 * through {@code postmaster.pid} and stops it (fast shutdown, then a kill if it does not go).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(8);
    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts PostgreSQL on a free loopback port with its data in {@code <dataDir>/postgres}. */
    public static EmbeddedDatabase start(Path dataDir) {
        Path dataDirectory = dataDir.resolve("postgres");
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    // Text compares by code point and lower() maps case by Unicode, PostgreSQL's own (17's builtin
                    // provider), whatever the host's locale: a host in the C locale would lower only ASCII in the
                    // unique email index. Faster too: no libc collation or wide-character conversion per compare.
                    .setLocaleConfig("locale-provider", "builtin")
                    .setLocaleConfig("builtin-locale", "C.UTF-8")
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    // The service stops it itself, after the relay and the workers: zonky's own hook would race them.
                    .setRegisterShutdownHook(false)
                    .start();
            return new EmbeddedDatabase(postgres, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL cleanly", e);
        }
    }

    /** Stops a PostgreSQL left running on this data directory by a process that died without stopping it. */
    static void stopOrphan(Path dataDirectory) throws IOException {
        Optional<ProcessHandle> orphan = runningPostmaster(dataDirectory);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = orphan.get();
        LOG.warning(() -> "Found PostgreSQL (pid " + postmaster.pid() + ") still running on " + dataDirectory
                + " from an earlier run that did not stop; stopping it");
        postmaster.destroy();
        try {
            postmaster.onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillRunning) {
            LOG.warning(() -> "PostgreSQL (pid " + postmaster.pid() + ") did not stop in " + ORPHAN_STOP_WAIT + "; killing it");
            postmaster.destroyForcibly();
            try {
                postmaster.onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IOException("PostgreSQL (pid " + postmaster.pid() + ") holding " + dataDirectory + " does not stop", e);
            }
        }
    }

    /** The live postmaster named in {@code postmaster.pid}, if that process is still a PostgreSQL server. */
    static Optional<ProcessHandle> runningPostmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(command -> command.contains("postgres")).orElse(true));
    }
}
