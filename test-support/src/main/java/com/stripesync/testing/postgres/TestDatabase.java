package com.stripesync.testing.postgres;

import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where a test's data lives: a JDBC URL whose {@code currentSchema} is {@link #schema()}, so unqualified
 * names (Flyway's history table, jOOQ's generated tables) resolve inside that schema and nowhere else.
 */
public record TestDatabase(String jdbcUrl, String user, String password, String schema) {

    public TestDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(schema, "schema");
    }

    /** A plain, unpooled data source for this schema: each {@code getConnection()} opens a new connection. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** An external test server's password may be a real one: never print it. */
    @Override
    public String toString() {
        return "TestDatabase[jdbcUrl=" + jdbcUrl + ", user=" + user + ", schema=" + schema + "]";
    }
}
