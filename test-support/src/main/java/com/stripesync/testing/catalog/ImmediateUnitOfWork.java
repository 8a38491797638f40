package com.stripesync.testing.catalog;

import com.stripesync.domain.transaction.UnitOfWork;
import java.util.function.Supplier;

/** Runs the work as it comes, for the in-memory stores: they are each atomic, and nothing rolls back. */
public final class ImmediateUnitOfWork implements UnitOfWork {

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }
}
