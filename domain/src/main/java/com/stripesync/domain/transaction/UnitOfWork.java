package com.stripesync.domain.transaction;

import java.util.function.Supplier;

/**
 * Runs work in one transaction: every port call made inside on the same thread joins it, and it
 * commits when the work returns or rolls back when it throws (the exception is rethrown as is).
 */
public interface UnitOfWork {

    <T> T inTransaction(Supplier<T> work);

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
