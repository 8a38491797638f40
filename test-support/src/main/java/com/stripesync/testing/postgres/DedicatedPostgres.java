package com.stripesync.testing.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server of a test's own, for tests that take the database away: "the database is down",
 * then "it is back". Always embedded (zonky), whatever server the other tests share, because only a
 * server we run ourselves can be stopped and started at will.
 *
 * <p>{@link #stop()} shuts the server down and keeps its data directory; {@link #restart()} starts it
 * again on the same port and the same data, so a connection pool configured with {@link #database()}
 * finds it where it was. {@link #close()} stops it for good and deletes the data. About two seconds per
 * start: use it only where the shared server ({@link TestDatabases}) cannot do.
 *
 * <pre>{@code
 * try (DedicatedPostgres postgres = DedicatedPostgres.start()) {
 *     var db = open(postgres.database());
 *     postgres.stop();      // db calls fail now
 *     postgres.restart();   // and work again
 * }
 * }</pre>
 */
public final class DedicatedPostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    /** Stops the server should a test forget to close it: a server process outlives the JVM otherwise. */
    private final Thread shutdownHook = new Thread(this::close, "dedicated-postgres-shutdown");
    private @Nullable EmbeddedPostgres running;

    private DedicatedPostgres(Path dataDirectory, int port, EmbeddedPostgres running) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.running = running;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a new server on a free port with an empty data directory of its own. */
    public static DedicatedPostgres start() {
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("stripe-sync-dedicated-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory", e);
        }
        int port = freePort();
        return new DedicatedPostgres(dataDirectory, port, EmbeddedServer.startPostgres(port, dataDirectory));
    }

    /** The server's {@code postgres} database, schema {@code public}; valid across stops and restarts. */
    public TestDatabase database() {
        return new TestDatabase(TestDatabases.withCurrentSchema(EmbeddedServer.jdbcUrl(port), "public"),
                EmbeddedServer.USER, EmbeddedServer.PASSWORD, "public");
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    /** Shuts the server down (connections are refused from now on), keeping its data. Does nothing if stopped. */
    public synchronized void stop() {
        EmbeddedPostgres server = running;
        if (server == null) {
            return;
        }
        running = null;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the dedicated PostgreSQL on port " + port, e);
        }
    }

    /** Starts the server again on the same port and data. Does nothing if it runs. */
    public synchronized void restart() {
        if (running == null) {
            running = EmbeddedServer.startPostgres(port, dataDirectory);
        }
    }

    /** Stops the server and deletes its data. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteRecursively(dataDirectory);
            if (Thread.currentThread() != shutdownHook) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
