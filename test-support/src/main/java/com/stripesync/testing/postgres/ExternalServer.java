package com.stripesync.testing.postgres;

/** A server someone else runs (CI's service, a developer's local PostgreSQL): used, never stopped. */
record ExternalServer(String jdbcUrl, String user, String password) implements SharedServer {

    static ExternalServer of(ServerChoice.External choice) {
        return new ExternalServer(choice.jdbcUrl(), choice.user(), choice.password());
    }

    @Override
    public boolean outlivesTests() {
        return true;
    }

    @Override
    public String description() {
        return "external PostgreSQL at " + jdbcUrl + " as " + user;
    }

    @Override
    public void close() {
        // Not ours to stop.
    }

    /** The password may be a real one: never print it. */
    @Override
    public String toString() {
        return "ExternalServer[" + description() + "]";
    }
}
