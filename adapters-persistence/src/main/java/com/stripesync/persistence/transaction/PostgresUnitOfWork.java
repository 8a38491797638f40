package com.stripesync.persistence.transaction;

import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.persistence.ConnectionFailures;
import java.sql.Connection;
import java.util.Objects;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.ThreadLocalTransactionProvider;

/**
 * {@link UnitOfWork} over jOOQ's {@link ThreadLocalTransactionProvider}: the transaction's connection is
 * bound to the calling thread, so every store built on the same {@link DSLContext} joins it, and a unit of
 * work (or a store's own transaction) started inside it nests as a savepoint. Outside a unit of work each
 * store call runs on its own.
 *
 * <p>What the work throws comes out as it was thrown; only a database out of reach (at the start, or at the
 * commit) becomes {@link com.stripesync.domain.customer.CatalogUnavailable}.
 */
public final class PostgresUnitOfWork implements UnitOfWork {

    private final DSLContext dsl;

    public PostgresUnitOfWork(DSLContext dsl) {
        this.dsl = requireThreadBound(dsl);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        try {
            return dsl.transactionResult(() -> work.get());
        } catch (DataAccessException e) {
            throw ConnectionFailures.translate(e);
        }
    }

    /**
     * Fails unless the calling thread is inside a unit of work on {@code dsl}: for statements whose effect
     * (row locks) would end with the statement itself in autocommit mode.
     *
     * @throws IllegalStateException outside a unit of work
     */
    public static void requireActive(DSLContext dsl, String operation) {
        boolean autoCommit;
        try {
            autoCommit = requireThreadBound(dsl).connectionResult(Connection::getAutoCommit);
        } catch (DataAccessException e) {
            throw ConnectionFailures.translate(e);
        }
        if (autoCommit) {
            throw new IllegalStateException(operation + " must run inside a unit of work: its locks would end"
                    + " with the statement");
        }
    }

    private static DSLContext requireThreadBound(DSLContext dsl) {
        Objects.requireNonNull(dsl, "dsl");
        if (!(dsl.configuration().transactionProvider() instanceof ThreadLocalTransactionProvider)) {
            throw new IllegalArgumentException("Units of work need a DSLContext with a ThreadLocalTransactionProvider");
        }
        return dsl;
    }
}
