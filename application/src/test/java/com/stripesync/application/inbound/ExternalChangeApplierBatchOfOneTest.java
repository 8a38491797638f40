package com.stripesync.application.inbound;

import com.stripesync.domain.inbound.ExternalCustomerEvent;
import java.util.List;

/**
 * Every rule of {@link ExternalChangeApplierTest} again, each event handed in as a batch of its own: the batch
 * path applies the rules to a staged slice of the catalog, and must reach the same outcomes and state as the
 * one-by-one path.
 */
class ExternalChangeApplierBatchOfOneTest extends ExternalChangeApplierTest {

    @Override
    InboundOutcome applyWith(ExternalChangeApplier target, ExternalCustomerEvent event) {
        return target.applyAll(List.of(event)).getFirst();
    }

    @Override
    boolean racesAreRetriedAtOnce() {
        return true;
    }
}
