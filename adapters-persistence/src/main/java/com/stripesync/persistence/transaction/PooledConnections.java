package com.stripesync.persistence.transaction;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.TransactionContext;
import org.jooq.TransactionListener;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.ThreadLocalTransactionProvider;
import org.jspecify.annotations.Nullable;

/**
 * Hands jOOQ the pool's connections, and asks the pool only once for a transaction that cannot begin.
 *
 * <p>When no connection comes within the pool's timeout (the database is down), jOOQ rolls the transaction
 * back, and its roll-back asks the pool for a connection twice more, each waiting the whole timeout again: a
 * request then failed after three times the configured wait (15 s with the default 5 s). Registered as both
 * the connection provider and a transaction listener, this remembers, for the calling thread, that the
 * transaction now beginning got no connection, and fails the roll-back's requests at once (the pool's failure
 * as their cause); the mark ends with the roll-back. Every other request waits for the pool as usual.
 */
public final class PooledConnections implements ConnectionProvider, TransactionListener {

    private final DataSource pool;
    /** Set from the start of a transaction's begin until it has its connection; then null again. */
    private final ThreadLocal<@Nullable Beginning> beginning = new ThreadLocal<>();

    private PooledConnections(DataSource pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * A context over {@code pool} whose transactions bind their connection to the calling thread (jOOQ's
     * {@link ThreadLocalTransactionProvider}, as {@link PostgresUnitOfWork} needs), each asking the pool once.
     */
    public static DSLContext threadBoundContext(DataSource pool, SQLDialect dialect) {
        PooledConnections connections = new PooledConnections(pool);
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.set(new ThreadLocalTransactionProvider(connections));
        configuration.setTransactionListener(connections);
        return DSL.using(configuration.set(dialect));
    }

    @Override
    public Connection acquire() {
        Beginning begin = beginning.get();
        if (begin != null && begin.failure != null) {
            throw new DataAccessException("Not asking the pool again for a transaction that got no connection", begin.failure);
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            DataAccessException failure = new DataAccessException("No connection from the pool: " + e.getMessage(), e);
            if (begin != null) {
                begin.failure = failure;
            }
            throw failure;
        }
    }

    @Override
    public void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new DataAccessException("Cannot return a connection to the pool: " + e.getMessage(), e);
        }
    }

    @Override
    public void beginStart(TransactionContext ctx) {
        beginning.set(new Beginning());
    }

    @Override
    public void beginEnd(TransactionContext ctx) {
        // jOOQ calls this whether begin succeeded or not; only a begin that got no connection keeps its mark.
        Beginning begin = beginning.get();
        if (begin != null && begin.failure == null) {
            beginning.remove();
        }
    }

    @Override
    public void rollbackEnd(TransactionContext ctx) {
        // Called after the roll-back even when it failed, as it does when the begin got no connection.
        beginning.remove();
    }

    @Override
    public void commitEnd(TransactionContext ctx) {
        beginning.remove();
    }

    /** A transaction beginning on this thread, and the failure to get its connection, if it had one. */
    private static final class Beginning {
        private @Nullable DataAccessException failure;
    }
}
