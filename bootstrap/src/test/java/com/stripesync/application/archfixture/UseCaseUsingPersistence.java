package com.stripesync.application.archfixture;

import com.stripesync.persistence.PostgresDatabase;

/** Breaks "the application depends only on the domain": a use case reaching into the persistence adapter. */
public final class UseCaseUsingPersistence {

    public boolean healthy(PostgresDatabase database) {
        return database.isReachable(java.time.Duration.ofSeconds(1));
    }
}
