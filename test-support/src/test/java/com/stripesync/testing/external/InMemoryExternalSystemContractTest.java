package com.stripesync.testing.external;

import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.testing.contract.ExternalSystemPortContract;

class InMemoryExternalSystemContractTest extends ExternalSystemPortContract {

    private final InMemoryExternalSystem system = new InMemoryExternalSystem();

    @Override
    protected ExternalSystemPort portUnderTest() {
        return system;
    }

    @Override
    protected void loseNextResponse() {
        system.loseNextResponses(1);
    }
}
