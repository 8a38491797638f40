package com.stripesync.persistence;

import com.stripesync.domain.customer.CatalogUnavailable;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
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

    /** SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now). */
    private static boolean isConnectionState(@Nullable String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
}
