package com.stripesync.persistence;

/**
 * The database cannot be used: unreachable, refusing the credentials, or its schema cannot be migrated.
 * The message is one line naming the URL (without password) and the root cause.
 */
public final class DatabaseUnavailable extends RuntimeException {

    private static final int MAX_CAUSE_LENGTH = 300;

    private DatabaseUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    static DatabaseUnavailable cannotConnect(String jdbcUrl, Throwable cause) {
        return new DatabaseUnavailable("cannot connect to " + DatabaseSettings.redact(jdbcUrl) + ": "
                + rootMessage(cause), cause);
    }

    static DatabaseUnavailable cannotMigrate(String jdbcUrl, Throwable cause) {
        return new DatabaseUnavailable("cannot migrate the schema of " + DatabaseSettings.redact(jdbcUrl) + ": "
                + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        String oneLine = message.strip().replaceAll("\\s*\\R\\s*", " ");
        return oneLine.length() <= MAX_CAUSE_LENGTH ? oneLine : oneLine.substring(0, MAX_CAUSE_LENGTH) + "...";
    }
}
