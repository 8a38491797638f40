package com.stripesync.persistence.customer;

import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.contract.CustomerCatalogContract;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresCustomerCatalogContractTest extends CustomerCatalogContract {

    private PostgresDatabase database;

    @BeforeEach
    void open(TestDatabase testDatabase) {
        database = PostgresDatabase.open(TestSettings.of(testDatabase));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Override
    protected CustomerCatalog catalog() {
        return database.customerCatalog();
    }

    @Override
    protected ExternalLinks links() {
        return database.externalLinks();
    }
}
