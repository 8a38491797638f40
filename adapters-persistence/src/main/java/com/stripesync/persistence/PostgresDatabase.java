package com.stripesync.persistence;

import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.inbound.InboundBatchStore;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.persistence.change.PostgresChangeOutbox;
import com.stripesync.persistence.customer.PostgresCustomerCatalog;
import com.stripesync.persistence.inbound.PostgresInboundBatchStore;
import com.stripesync.persistence.inbound.PostgresInboundLedger;
import com.stripesync.persistence.link.PostgresExternalLinks;
import com.stripesync.persistence.transaction.PooledConnections;
import com.stripesync.persistence.transaction.PostgresUnitOfWork;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * The service's PostgreSQL database: a HikariCP pool over a schema that {@link #open} brings up to date
 * with the Flyway migrations in {@code db/migration}, and the stores that work on it.
 *
 * <p>All stores share one jOOQ context whose transactions are bound to the calling thread: every store call
 * made inside {@link #unitOfWork()}{@code .inTransaction(...)} on the same thread joins that transaction;
 * outside one, each call runs on its own connection and commits by itself.
 */
public final class PostgresDatabase implements AutoCloseable {

    /**
     * Bounds how long a connection waits on a silent server in the middle of a statement (a dead peer,
     * a network partition): long enough for any statement this service runs, migrations included.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger(PostgresDatabase.class.getName());
    private static final String POOL_NAME = "stripe-sync-postgres";

    /** Each health probe on a virtual thread of its own, so the caller's wait is bounded whatever the pool does. */
    private static final Executor PROBES = probe -> Thread.ofVirtual().name("postgres-health-probe").start(probe);

    private final HikariDataSource pool;
    private final CustomerCatalog customerCatalog;
    private final ChangeOutbox changeOutbox;
    private final ExternalLinks externalLinks;
    private final InboundLedger inboundLedger;
    private final InboundBatchStore inboundBatchStore;
    private final UnitOfWork unitOfWork;

    private PostgresDatabase(HikariDataSource pool) {
        this.pool = pool;
        DSLContext dsl = PooledConnections.threadBoundContext(pool, SQLDialect.POSTGRES);
        this.customerCatalog = new PostgresCustomerCatalog(dsl);
        this.changeOutbox = new PostgresChangeOutbox(dsl);
        this.externalLinks = new PostgresExternalLinks(dsl);
        this.inboundLedger = new PostgresInboundLedger(dsl);
        this.inboundBatchStore = new PostgresInboundBatchStore(dsl);
        this.unitOfWork = new PostgresUnitOfWork(dsl);
    }

    /**
     * Connects and migrates the schema (the one the URL's {@code currentSchema} names, else the user's
     * default).
     *
     * @throws DatabaseUnavailable when no connection can be had within the settings' connect timeout
     *     (about that long, plus at most one retry interval), or the migrations fail
     */
    public static PostgresDatabase open(DatabaseSettings settings) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(settings));
        } catch (RuntimeException e) {
            throw DatabaseUnavailable.cannotConnect(settings.jdbcUrl(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw DatabaseUnavailable.cannotMigrate(settings.jdbcUrl(), e);
        }
        return new PostgresDatabase(pool);
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        long timeoutMillis = settings.connectTimeout().toMillis();
        int timeoutSeconds = (int) Math.max(1, (timeoutMillis + 999) / 1000);
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        // Waiting for a connection from the pool, and for the first one at start-up: fail, don't hang.
        config.setConnectionTimeout(timeoutMillis);
        config.setInitializationFailTimeout(timeoutMillis);
        config.setValidationTimeout(Math.min(timeoutMillis, Duration.ofSeconds(5).toMillis()));
        // pgjdbc's own bounds, in seconds: the TCP connect, the whole login, and a silent peer afterwards.
        // Strings only: Hikari hands these to the driver as Properties, and pgjdbc ignores non-String values.
        config.addDataSourceProperty("connectTimeout", String.valueOf(timeoutSeconds));
        config.addDataSourceProperty("loginTimeout", String.valueOf(timeoutSeconds));
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "stripe-sync");
        return config;
    }

    public CustomerCatalog customerCatalog() {
        return customerCatalog;
    }

    /** The outbox of customer changes; {@code lockNextUnpublished} only inside a {@link #unitOfWork()}. */
    public ChangeOutbox changeOutbox() {
        return changeOutbox;
    }

    public ExternalLinks externalLinks() {
        return externalLinks;
    }

    /** The events already applied; an entry commits (or rolls back) with the {@link #unitOfWork()} it is recorded in. */
    public InboundLedger inboundLedger() {
        return inboundLedger;
    }

    /** Reads, locks and writes what a batch of inbound events touches; only inside a {@link #unitOfWork()}. */
    public InboundBatchStore inboundBatchStore() {
        return inboundBatchStore;
    }

    /** Transactions that the other stores of this database join when called on the same thread. */
    public UnitOfWork unitOfWork() {
        return unitOfWork;
    }

    /**
     * Whether the database answers a trivial query within {@code timeout}; for health checks. Never throws
     * and returns within about {@code timeout}, even when the server or the network hangs.
     */
    public boolean isReachable(Duration timeout) {
        CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(() -> answers(timeout), PROBES);
        try {
            return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean answers(Duration timeout) {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            return statement.execute("SELECT 1");
        } catch (SQLException | RuntimeException e) {
            // The answer to "is it reachable?" is no; the reason only matters when debugging.
            LOG.log(System.Logger.Level.DEBUG, "PostgreSQL health probe failed", e);
            return false;
        }
    }

    /** Closes the pool: open connections are closed, later calls fail. */
    @Override
    public void close() {
        pool.close();
    }
}
