package com.stripesync.testing.catalog;

import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.testing.contract.InboundLedgerContract;

class InMemoryInboundLedgerContractTest extends InboundLedgerContract {

    @Override
    protected InboundLedger ledger() {
        return new InMemoryInboundLedger();
    }
}
