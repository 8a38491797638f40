package com.stripesync.persistence;

import com.stripesync.testing.postgres.TestDatabase;
import java.time.Duration;

/** Settings that point the adapter at a test schema. */
public final class TestSettings {

    private TestSettings() {
    }

    public static DatabaseSettings of(TestDatabase database) {
        return of(database, 4);
    }

    public static DatabaseSettings of(TestDatabase database, int maxPoolSize) {
        return new DatabaseSettings(database.jdbcUrl(), database.user(), database.password(), maxPoolSize,
                Duration.ofSeconds(5));
    }
}
