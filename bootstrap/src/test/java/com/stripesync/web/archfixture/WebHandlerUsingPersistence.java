package com.stripesync.web.archfixture;

import com.stripesync.persistence.PostgresDatabase;

/** Breaks "adapters never know each other": a web handler talking to the database adapter directly. */
public final class WebHandlerUsingPersistence {

    public Object catalog(PostgresDatabase database) {
        return database.customerCatalog();
    }
}
