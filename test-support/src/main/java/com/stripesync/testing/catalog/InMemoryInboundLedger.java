package com.stripesync.testing.catalog;

import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.SystemName;
import java.util.HashSet;
import java.util.Set;

/** The ledger of applied events in memory, for tests of the core. */
public final class InMemoryInboundLedger implements InboundLedger {

    private record Entry(SystemName system, EventId event) {
    }

    private final Set<Entry> recorded = new HashSet<>();

    @Override
    public synchronized boolean recordOnce(SystemName system, EventId event) {
        return recorded.add(new Entry(system, event));
    }

    @Override
    public synchronized boolean contains(SystemName system, EventId event) {
        return recorded.contains(new Entry(system, event));
    }

    public synchronized int size() {
        return recorded.size();
    }
}
