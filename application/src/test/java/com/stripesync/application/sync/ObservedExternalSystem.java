package com.stripesync.application.sync;

import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalCustomerPage;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Stands in front of an external system, notes every call that reaches it, and adds the failures the
 * in-memory system cannot make: an answer kept under its idempotency key (Stripe's 500s), an outage
 * that lasts until the test ends it, and a flaky stretch where every second call fails.
 */
public final class ObservedExternalSystem implements ExternalSystemPort {

    public static final Set<String> WRITES = Set.of("create", "update", "delete");

    /** One call: the operation, and the idempotency key of a write. */
    public record Call(String operation, @Nullable IdempotencyKey key) {

        public boolean isWrite() {
            return WRITES.contains(operation);
        }
    }

    private final ExternalSystemPort system;
    private final List<Call> calls = new ArrayList<>();
    private final Map<IdempotencyKey, ExternalSystemUnavailable> keptFailures = new HashMap<>();
    private @Nullable Boolean nextWriteFailsAfterApplying;
    private @Nullable ExternalSystemUnavailable outage;
    private boolean flaky;
    private int flakyCalls;

    public ObservedExternalSystem(ExternalSystemPort system) {
        this.system = system;
    }

    /**
     * The next write fails while executing and the system keeps that answer under its key: repeating the
     * write with the same key fails the same way. {@code applied} says whether the write took effect.
     */
    public void failNextWriteKeepingTheAnswer(boolean applied) {
        nextWriteFailsAfterApplying = applied;
    }

    /** Every call fails with {@code failure}, without reaching the system, until {@link #comeBack()}. */
    public void goDown(ExternalSystemUnavailable failure) {
        outage = failure;
    }

    public void comeBack() {
        outage = null;
    }

    /** From now on every second call fails, alternately before doing anything and after applying a write. */
    public void beFlaky() {
        flaky = true;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> writes() {
        return calls.stream().filter(Call::isWrite).toList();
    }

    public void forget() {
        calls.clear();
    }

    @Override
    public SystemName name() {
        return system.name();
    }

    @Override
    public ExternalId create(CustomerDetails details, IdempotencyKey key) {
        return write("create", key, () -> system.create(details, key));
    }

    @Override
    public void update(ExternalId id, CustomerDetails details, IdempotencyKey key) {
        write("update", key, () -> {
            system.update(id, details, key);
            return id;
        });
    }

    @Override
    public void delete(ExternalId id, IdempotencyKey key) {
        write("delete", key, () -> {
            system.delete(id, key);
            return id;
        });
    }

    @Override
    public Optional<ExternalCustomer> fetch(ExternalId id) {
        return read("fetch", () -> system.fetch(id));
    }

    @Override
    public Optional<ExternalCustomer> findByLocalId(CustomerDetails details) {
        return read("findByLocalId", () -> system.findByLocalId(details));
    }

    @Override
    public ExternalCustomerPage list(@Nullable String pageToken, int limit) {
        return read("list", () -> system.list(pageToken, limit));
    }

    private <T> T write(String operation, IdempotencyKey key, Supplier<T> work) {
        calls.add(new Call(operation, key));
        failIfDown();
        ExternalSystemUnavailable kept = keptFailures.get(key);
        if (kept != null) {
            throw kept;
        }
        Boolean applied = nextWriteFailsAfterApplying;
        if (applied != null) {
            nextWriteFailsAfterApplying = null;
            if (applied) {
                work.get();
            }
            ExternalSystemUnavailable failure = ExternalSystemUnavailable.failedWhileExecuting(name(),
                    "internal error (simulated)", null, new IllegalStateException("500"));
            keptFailures.put(key, failure);
            throw failure;
        }
        return flakily(work, true);
    }

    private <T> T read(String operation, Supplier<T> work) {
        calls.add(new Call(operation, null));
        failIfDown();
        return flakily(work, false);
    }

    private void failIfDown() {
        if (outage != null) {
            throw outage;
        }
    }

    private <T> T flakily(Supplier<T> work, boolean isWrite) {
        if (flaky && ++flakyCalls % 2 == 1) {
            boolean loseTheAnswer = flakyCalls / 2 % 2 == 1;
            if (loseTheAnswer && isWrite) {
                work.get();
            }
            throw new ExternalSystemUnavailable(name(), loseTheAnswer ? "answer lost (simulated)" : "down (simulated)");
        }
        return work.get();
    }
}
