package com.stripesync.persistence.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.ThreadLocalTransactionProvider;
import org.junit.jupiter.api.Test;

/** jOOQ's transactions over a pool that has no connection to give: each transaction asks it once, not three times. */
class PooledConnectionsTest {

    private final EmptyPool pool = new EmptyPool();
    private final DSLContext dsl = PooledConnections.threadBoundContext(pool, SQLDialect.POSTGRES);

    @Test
    void aTransactionThatGetsNoConnectionAsksThePoolOnceAndFailsWithThePoolsFailure() {
        assertThatThrownBy(() -> dsl.transactionResult(() -> "never runs"))
                .isInstanceOf(DataAccessException.class)
                .hasRootCauseInstanceOf(SQLTransientConnectionException.class);

        assertThat(pool.requests()).isEqualTo(1);
    }

    @Test
    void theNextTransactionAndStatementsOutsideOneAskThePoolAgain() {
        assertThatThrownBy(() -> dsl.transactionResult(() -> "never runs")).isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> dsl.transactionResult(() -> "never runs")).isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> dsl.fetch("SELECT 1")).isInstanceOf(DataAccessException.class);

        assertThat(pool.requests()).isEqualTo(3);
    }

    @Test
    void withoutItJooqsRollBackAsksTheEmptyPoolTwiceMore() {
        // What the class is for: jOOQ's own provider waits for the pool three times per failed transaction.
        DSLContext plain = DSL.using(new DefaultConfiguration()
                .set(new ThreadLocalTransactionProvider(new DataSourceConnectionProvider(pool)))
                .set(SQLDialect.POSTGRES));

        assertThatThrownBy(() -> plain.transactionResult(() -> "never runs")).isInstanceOf(DataAccessException.class);

        assertThat(pool.requests()).isEqualTo(3);
    }

    /** A pool whose every request for a connection times out, as HikariCP's does while the database is down. */
    private static final class EmptyPool implements DataSource {

        private final AtomicInteger requests = new AtomicInteger();

        int requests() {
            return requests.get();
        }

        @Override
        public Connection getConnection() throws SQLTransientConnectionException {
            requests.incrementAndGet();
            throw new SQLTransientConnectionException("Connection is not available, request timed out");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLTransientConnectionException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setLoginTimeout(int seconds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
