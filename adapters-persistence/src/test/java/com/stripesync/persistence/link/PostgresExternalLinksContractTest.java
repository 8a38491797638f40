package com.stripesync.persistence.link;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.contract.ExternalLinksContract;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresExternalLinksContractTest extends ExternalLinksContract {

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
    protected ExternalLinks links() {
        return database.externalLinks();
    }

    @Override
    protected void store(Customer customer) {
        if (customer.version().equals(Version.FIRST)) {
            database.customerCatalog().add(customer);
        } else {
            database.customerCatalog().replace(customer);
        }
    }
}
