package com.stripesync.bootstrap;

import java.util.Locale;

/**
 * What one process runs. {@code all} (the default) is a complete service; {@code api} and {@code worker}
 * split it over processes that share one external PostgreSQL and Kafka: any number of each, the workers
 * sharing the load through their consumer groups.
 */
public enum Role {
    /** The HTTP API and webhook endpoint, the outbox relay and the sync workers. */
    ALL,
    /** The HTTP API and webhook endpoint and the outbox relay; no sync workers. */
    API,
    /** The outbox relay and the sync workers, with only {@code /observe/health} over HTTP. */
    WORKER;

    public static Role parse(String[] args) {
        if (args.length == 0) {
            return ALL;
        }
        try {
            if (args.length > 1) {
                throw new IllegalArgumentException();
            }
            return valueOf(args[0].strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("usage: java -jar stripe-sync.jar [all|api|worker], got: " + String.join(" ", args));
        }
    }

    boolean servesApi() {
        return this != WORKER;
    }

    boolean runsWorkers() {
        return this != API;
    }
}
