package com.stripesync.application.inbound;

import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.transaction.UnitOfWork;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ledger of applied events as the database keeps it: an entry recorded by work that throws is rolled back
 * with it, so the event has not counted as applied and is applied when delivered again. It only knows about
 * transactions run through {@link #around(UnitOfWork)}. (The in-memory catalog and links do not roll back:
 * tests that let work fail after a catalog write read a {@code TransactionJournal} instead.)
 */
final class RollingBackLedger implements InboundLedger {

    private record Entry(SystemName system, EventId event) {
    }

    private final Set<Entry> committed = new HashSet<>();
    private final List<Entry> uncommitted = new ArrayList<>();
    private int depth;

    /** {@code transactions}, with this ledger's entries committed or rolled back with each outermost one. */
    UnitOfWork around(UnitOfWork transactions) {
        return new UnitOfWork() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                return transactions.inTransaction(() -> {
                    depth++;
                    boolean done = false;
                    try {
                        T result = work.get();
                        done = true;
                        return result;
                    } finally {
                        if (--depth == 0) {
                            if (done) {
                                committed.addAll(uncommitted);
                            }
                            uncommitted.clear();
                        }
                    }
                });
            }
        };
    }

    @Override
    public boolean recordOnce(SystemName system, EventId event) {
        if (depth == 0) {
            throw new IllegalStateException("the ledger joins the caller's unit of work; none is open");
        }
        Entry entry = new Entry(system, event);
        if (committed.contains(entry) || uncommitted.contains(entry)) {
            return false;
        }
        uncommitted.add(entry);
        return true;
    }

    /** How many events count as applied. */
    int size() {
        return committed.size();
    }

    @Override
    public boolean contains(SystemName system, EventId event) {
        Entry entry = new Entry(system, event);
        return committed.contains(entry) || uncommitted.contains(entry);
    }
}
