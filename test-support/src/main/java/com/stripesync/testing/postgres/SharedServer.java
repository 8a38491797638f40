package com.stripesync.testing.postgres;

/** A running PostgreSQL server that tests create their schemas in; closed when the test JVM ends. */
interface SharedServer extends AutoCloseable {

    /** A URL of a database on the server that the {@link #user()} may create schemas in. */
    String jdbcUrl();

    String user();

    String password();

    /** Whether the schemas that tests created must be dropped at the end: the server outlives the JVM. */
    boolean outlivesTests();

    /** Names the server in logs and failure messages, without secrets. */
    String description();

    @Override
    void close();
}
