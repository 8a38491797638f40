package com.stripesync.persistence;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * How to reach the PostgreSQL database: a {@code jdbc:postgresql:} URL, credentials, the size of the
 * connection pool and how long to wait for a connection (which also bounds how long
 * {@link PostgresDatabase#open} takes to give up on an unreachable server).
 *
 * <p>The password is never printed: not by {@link #toString()}, nor in any message that names the URL
 * (see {@link #redact(String)}).
 */
public record DatabaseSettings(String jdbcUrl, String user, @Nullable String password, int maxPoolSize,
                               Duration connectTimeout) {

    /** HikariCP refuses to wait for less. */
    public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(5);
    public static final int MAX_POOL_SIZE = 500;

    private static final String URL_PREFIX = "jdbc:postgresql:";

    public DatabaseSettings {
        if (jdbcUrl == null || !jdbcUrl.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("The database URL must start with " + URL_PREFIX + ", not "
                    + (jdbcUrl == null ? "nothing" : redact(jdbcUrl)));
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("A database user is required for " + redact(jdbcUrl));
        }
        if (maxPoolSize < 1 || maxPoolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("The database pool size must be between 1 and " + MAX_POOL_SIZE
                    + ", not " + maxPoolSize);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0 || connectTimeout.compareTo(MAX_CONNECT_TIMEOUT) > 0) {
            throw new IllegalArgumentException("The database connect timeout must be between "
                    + MIN_CONNECT_TIMEOUT + " and " + MAX_CONNECT_TIMEOUT + ", not " + connectTimeout);
        }
    }

    /**
     * The URL without its password parameters ({@code password}, {@code sslpassword}, any name ending in
     * "password", ignoring case), fit for logs and error messages.
     */
    public static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return jdbcUrl;
        }
        StringJoiner kept = new StringJoiner("&", "?", "").setEmptyValue("");
        for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (!parameter.isEmpty() && !name.toLowerCase(Locale.ROOT).endsWith("password")) {
                kept.add(parameter);
            }
        }
        return jdbcUrl.substring(0, query) + kept;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + redact(jdbcUrl) + ", user=" + user
                + ", password=" + (password == null ? "(none)" : "(set)")
                + ", maxPoolSize=" + maxPoolSize + ", connectTimeout=" + connectTimeout + "]";
    }
}
