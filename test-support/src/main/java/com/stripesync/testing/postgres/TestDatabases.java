package com.stripesync.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The PostgreSQL server shared by every test of this JVM, and fresh schemas in it.
 *
 * <p>The server is chosen and started on first use (see {@link ServerChoice}: an external server when
 * {@code test.db.url}/{@code TEST_DB_URL} is set, Testcontainers with {@code -Dtest.infra=containers}, an
 * embedded PostgreSQL otherwise), then reused by all test classes, and stopped by a JVM shutdown hook.
 * A shutdown hook rather than JUnit's root store, because this accessor works without any extension.
 *
 * <p>Tests are isolated by data, not by server: {@link #freshSchema()} creates a new, uniquely named
 * schema and returns a URL whose {@code currentSchema} is that schema. On an external server the schemas
 * created are dropped at the end; on the others they go with the server.
 */
public final class TestDatabases {

    private static final Logger LOG = Logger.getLogger(TestDatabases.class.getName());

    private TestDatabases() {
    }

    /** Creates a new empty schema on the shared server and returns the coordinates that work inside it. */
    public static TestDatabase freshSchema() {
        return Shared.INSTANCE.freshSchema();
    }

    /**
     * The shared server's own database, outside any test schema: for checks that need the server itself
     * (listing schemas, counting connections). Tests keep their data in a {@link #freshSchema()}.
     */
    public static TestDatabase server() {
        SharedServer server = Shared.INSTANCE.server;
        return new TestDatabase(server.jdbcUrl(), server.user(), server.password(), "public");
    }

    /** Appends {@code currentSchema=schema} to a JDBC URL, replacing a {@code currentSchema} it had. */
    static String withCurrentSchema(String jdbcUrl, String schema) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        StringBuilder url = new StringBuilder(base).append("?currentSchema=").append(schema);
        if (query >= 0) {
            for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
                if (!parameter.isEmpty() && !parameter.regionMatches(true, 0, "currentSchema=", 0, 14)) {
                    url.append('&').append(parameter);
                }
            }
        }
        return url.toString();
    }

    /** Holder idiom: the server starts on first use, once, without locks on the hot path. */
    private static final class Shared {

        static final Shared INSTANCE = start();

        final SharedServer server;
        private final Set<String> createdSchemas = ConcurrentHashMap.newKeySet();

        private Shared(SharedServer server) {
            this.server = server;
        }

        private static Shared start() {
            ServerChoice choice = ServerChoice.fromEnvironment();
            SharedServer server = switch (choice) {
                case ServerChoice.External external -> ExternalServer.of(external);
                case ServerChoice.Containers containers -> ContainerServer.start();
                case ServerChoice.Embedded embedded -> EmbeddedServer.start();
            };
            LOG.info(() -> "Tests use the " + server.description());
            Shared shared = new Shared(server);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-postgres-shutdown"));
            return shared;
        }

        TestDatabase freshSchema() {
            String schema = "test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            execute("CREATE SCHEMA " + schema);
            createdSchemas.add(schema);
            return new TestDatabase(withCurrentSchema(server.jdbcUrl(), schema), server.user(), server.password(),
                    schema);
        }

        private void stop() {
            if (server.outlivesTests()) {
                for (String schema : createdSchemas) {
                    try {
                        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                    } catch (IllegalStateException e) {
                        LOG.log(Level.WARNING, "cannot drop test schema " + schema, e);
                    }
                }
            }
            server.close();
        }

        private void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(),
                    server.password());
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("'" + sql + "' failed on the " + server.description(), e);
            }
        }
    }
}
