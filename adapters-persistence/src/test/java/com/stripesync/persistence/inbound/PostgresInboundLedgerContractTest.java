package com.stripesync.persistence.inbound;

import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.persistence.TestSettings;
import com.stripesync.testing.contract.InboundLedgerContract;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresInboundLedgerContractTest extends InboundLedgerContract {

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
    protected InboundLedger ledger() {
        return database.inboundLedger();
    }
}
