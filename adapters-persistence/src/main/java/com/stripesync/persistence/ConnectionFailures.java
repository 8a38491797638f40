package com.stripesync.persistence;

import com.stripesync.domain.customer.CatalogUnavailable;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.function.Supplier;
import org.jooq.exception.DataAccessException;
import org.jspecify.annotations.Nullable;

/** Tells a database that cannot be reached (no connection, connection lost, server shutting down) from other failures. */
public final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /** The failure as {@link CatalogUnavailable} when it means the database is out of reach. */
    public static Optional<CatalogUnavailable> unavailable(Throwable failure) {
        for (@Nullable Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectException
                    || cause instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return Optional.of(new CatalogUnavailable("The database cannot be reached", failure));
            }
        }
        return Optional.empty();
    }

    /** The failure as {@link CatalogUnavailable} when it means the database is out of reach, else the failure itself. */
    public static RuntimeException translate(RuntimeException failure) {
        return unavailable(failure).<RuntimeException>map(unavailable -> unavailable).orElse(failure);
    }

    /** Runs {@code statement}, turning a database out of reach into {@link CatalogUnavailable}. */
    public static <T> T translating(Supplier<T> statement) {
        try {
            return statement.get();
        } catch (DataAccessException e) {
            throw translate(e);
        }
    }

    /** SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now). */
    private static boolean isConnectionState(@Nullable String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
}
