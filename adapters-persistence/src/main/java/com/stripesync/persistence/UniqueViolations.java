package com.stripesync.persistence;

import java.util.Optional;
import org.jooq.exception.DataAccessException;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/** Tells which unique index or constraint refused a write, and the key it refused. */
public final class UniqueViolations {

    private static final String KEY_SEPARATOR = ")=(";

    private UniqueViolations() {
    }

    /** Whether {@code failure} is a unique violation of the index or constraint named {@code constraint}. */
    public static boolean violates(DataAccessException failure, String constraint) {
        @Nullable ServerErrorMessage error = serverError(failure);
        return error != null && PSQLState.UNIQUE_VIOLATION.getState().equals(error.getSQLState())
                && constraint.equals(error.getConstraint());
    }

    /**
     * The refused key's values as the server prints them, comma-separated in index order: {@code stripe, cus_1}
     * for {@code (system_name, external_id)}; empty when the server did not tell. The server builds that part
     * of the detail ({@code Key (system_name, external_id)=(stripe, cus_1) already exists.}) itself, in every
     * language; only the words around it are translated.
     */
    public static Optional<String> refusedKey(DataAccessException failure) {
        @Nullable ServerErrorMessage error = serverError(failure);
        @Nullable String detail = error == null ? null : error.getDetail();
        if (detail == null) {
            return Optional.empty();
        }
        int start = detail.indexOf(KEY_SEPARATOR);
        int end = detail.lastIndexOf(')');
        return start < 0 || end < start + KEY_SEPARATOR.length()
                ? Optional.empty()
                : Optional.of(detail.substring(start + KEY_SEPARATOR.length(), end));
    }

    private static @Nullable ServerErrorMessage serverError(DataAccessException failure) {
        @Nullable PSQLException cause = failure.getCause(PSQLException.class);
        return cause == null ? null : cause.getServerErrorMessage();
    }
}
