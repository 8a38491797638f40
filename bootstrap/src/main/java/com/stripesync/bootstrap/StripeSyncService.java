package com.stripesync.bootstrap;

import com.stripesync.application.customer.CustomerService;
import com.stripesync.bootstrap.config.InvalidSetting;
import com.stripesync.bootstrap.config.ServiceSettings;
import com.stripesync.bootstrap.database.DatabaseHealthCheck;
import com.stripesync.bootstrap.database.EmbeddedDatabase;
import com.stripesync.persistence.DatabaseSettings;
import com.stripesync.persistence.DatabaseUnavailable;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.web.CustomerUseCases;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/** The running service: its database (embedded or external), the catalog and the HTTP server. */
public final class StripeSyncService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StripeSyncService.class.getName());

    private final @Nullable EmbeddedDatabase embedded;
    private final PostgresDatabase database;
    private final WebServer server;

    private StripeSyncService(@Nullable EmbeddedDatabase embedded, PostgresDatabase database, WebServer server) {
        this.embedded = embedded;
        this.database = database;
        this.server = server;
    }

    /**
     * Starts everything or nothing: a failure part-way stops what already started.
     *
     * @throws InvalidSetting when the configuration (or what it points at) prevents starting
     */
    public static StripeSyncService start(ServiceSettings settings) {
        EmbeddedDatabase embedded = null;
        PostgresDatabase database = null;
        try {
            DatabaseSettings databaseSettings;
            if (settings.database().isPresent()) {
                ServiceSettings.ExternalDatabase external = settings.database().get();
                databaseSettings = new DatabaseSettings(external.url(), external.user(), external.password(),
                        settings.dbPoolSize(), ServiceSettings.DB_CONNECT_TIMEOUT);
            } else {
                embedded = EmbeddedDatabase.start(settings.dataDir());
                LOG.info("Embedded mode: PostgreSQL on port " + embedded.port() + " with data in "
                        + embedded.dataDirectory() + " (set DB_URL to use an external database)");
                databaseSettings = new DatabaseSettings(embedded.jdbcUrl(), embedded.user(), null,
                        settings.dbPoolSize(), ServiceSettings.DB_CONNECT_TIMEOUT);
            }
            database = openDatabase(databaseSettings, settings.database().isPresent());
            WebServer server = startServer(settings, database);
            return new StripeSyncService(embedded, database, server);
        } catch (RuntimeException e) {
            closeQuietly(database);
            closeQuietly(embedded);
            throw e;
        }
    }

    private static PostgresDatabase openDatabase(DatabaseSettings settings, boolean external) {
        try {
            return PostgresDatabase.open(settings);
        } catch (DatabaseUnavailable e) {
            throw new InvalidSetting((external ? "DB_URL: " : "embedded PostgreSQL: ") + e.getMessage(), e);
        }
    }

    private static WebServer startServer(ServiceSettings settings, PostgresDatabase database) {
        CustomerService customers = new CustomerService(database.customerCatalog(), Clock.systemUTC());
        CustomerUseCases useCases = new CustomerUseCases(customers, customers, customers, customers, customers);
        WebServerConfig.Builder server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false);
        WebApi.configureServer(server, WebSettings.defaults());
        server.addFeature(ObserveFeature.just(HealthObserver.builder()
                .details(true)
                .addCheck(new DatabaseHealthCheck(database))
                .build()));
        server.routing(routing -> WebApi.routing(routing, useCases));
        return server.build().start();
    }

    public int port() {
        return server.port();
    }

    public Optional<EmbeddedDatabase> embeddedDatabase() {
        return Optional.ofNullable(embedded);
    }

    /** Stops taking requests, then closes the pool, then stops the embedded database. */
    @Override
    public void close() {
        server.stop();
        closeQuietly(database);
        closeQuietly(embedded);
    }

    private static void closeQuietly(@Nullable AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warning("Failed to stop " + resource.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
