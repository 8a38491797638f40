package com.stripesync.testing.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** An embedded PostgreSQL 17 (zonky): a real server process run from binaries shipped on Maven Central. */
final class EmbeddedServer implements SharedServer {

    static final String USER = "postgres";
    /** The embedded server trusts local connections; the password is never checked. */
    static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A server on a free port with a throw-away data directory. */
    static EmbeddedServer start() {
        return new EmbeddedServer(startPostgres(0, null));
    }

    /**
     * Starts a server. With a data directory the data is kept when the server stops, so that it can be
     * started again on it; without one a temporary directory is used and deleted on stop.
     */
    static EmbeddedPostgres startPostgres(int port, @Nullable Path dataDirectory) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                // The owner of the server stops it: one shutdown hook per JVM, not one per server.
                .setRegisterShutdownHook(false)
                // Every test class opens its own pool against the one shared server.
                .setServerConfig("max_connections", "300")
                // As the service's embedded database (EmbeddedDatabase): PostgreSQL's own C.UTF-8, whatever the host's.
                .setLocaleConfig("locale-provider", "builtin")
                .setLocaleConfig("builtin-locale", "C.UTF-8");
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL", e);
        }
    }

    static String jdbcUrl(int port) {
        // 127.0.0.1 rather than localhost: no guessing between IPv4 and IPv6.
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrl(postgres.getPort());
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public boolean outlivesTests() {
        return false;
    }

    @Override
    public String description() {
        return "embedded PostgreSQL at " + jdbcUrl();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL at " + jdbcUrl(), e);
        }
    }
}
