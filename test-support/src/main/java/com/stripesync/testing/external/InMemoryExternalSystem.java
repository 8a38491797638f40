package com.stripesync.testing.external;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalChangeRejected;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalCustomerNotFound;
import com.stripesync.domain.sync.ExternalCustomerPage;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExternalSystemPort} held in memory, passing the same contract as the real adapters: writes
 * are idempotent per key (the first answer is saved and repeated; a key reused with other details is
 * rejected), an absent email is not written, deleted customers stay as tombstones.
 *
 * <p>Tests steer it with {@link #loseNextResponses(int)} (apply, then fail as if the answer was lost),
 * {@link #failNext(RuntimeException)} (fail before doing anything), {@link #forgetIdempotencyKeys()}
 * (the system's key retention ran out) and {@link #seed} (a customer made on the system's side).
 * Thread-safe.
 */
public final class InMemoryExternalSystem implements ExternalSystemPort {

    private record Stored(ExternalId id, long sequence, @Nullable CustomerName name, @Nullable Email email,
                          @Nullable CustomerId localId, boolean deleted) {

        ExternalCustomer toExternal() {
            return new ExternalCustomer(id, name, email, localId);
        }
    }

    /** What a key was first used for, and what it answered. */
    private record Saved(String operation, @Nullable ExternalId target, @Nullable CustomerDetails details,
                         @Nullable ExternalId result) {
    }

    private final SystemName name;
    private final Map<ExternalId, Stored> customers = new LinkedHashMap<>();
    private final Map<IdempotencyKey, Saved> keys = new HashMap<>();
    private final Queue<RuntimeException> failures = new ArrayDeque<>();
    private int responsesToLose;
    private long sequence;

    public InMemoryExternalSystem() {
        this(new SystemName("in-memory"));
    }

    public InMemoryExternalSystem(SystemName name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public SystemName name() {
        return name;
    }

    @Override
    public synchronized ExternalId create(CustomerDetails details, IdempotencyKey key) {
        failIfTold();
        Saved saved = replay(key, "create", null, details);
        if (saved != null) {
            return Objects.requireNonNull(saved.result());
        }
        ExternalId id = new ExternalId("mem_" + (sequence + 1));
        customers.put(id, new Stored(id, ++sequence, details.name(), details.email(), details.localId(), false));
        keys.put(key, new Saved("create", null, details, id));
        loseResponseIfTold();
        return id;
    }

    @Override
    public synchronized void update(ExternalId id, CustomerDetails details, IdempotencyKey key) {
        failIfTold();
        if (replay(key, "update", id, details) != null) {
            return;
        }
        Stored current = customers.get(id);
        if (current == null || current.deleted()) {
            throw new ExternalCustomerNotFound(name, id);
        }
        Email email = details.email() != null ? details.email() : current.email();
        customers.put(id, new Stored(id, current.sequence(), details.name(), email, details.localId(), false));
        keys.put(key, new Saved("update", id, details, null));
        loseResponseIfTold();
    }

    @Override
    public synchronized void delete(ExternalId id, IdempotencyKey key) {
        failIfTold();
        Stored current = customers.get(id);
        if (current == null) {
            throw new ExternalCustomerNotFound(name, id);
        }
        customers.put(id, new Stored(id, current.sequence(), current.name(), current.email(), current.localId(), true));
        loseResponseIfTold();
    }

    @Override
    public synchronized Optional<ExternalCustomer> fetch(ExternalId id) {
        failIfTold();
        return Optional.ofNullable(customers.get(id)).filter(c -> !c.deleted()).map(Stored::toExternal);
    }

    @Override
    public synchronized Optional<ExternalCustomer> findByLocalId(CustomerDetails details) {
        failIfTold();
        return live().stream().filter(c -> details.localId().equals(c.localId())).findFirst().map(Stored::toExternal);
    }

    @Override
    public synchronized ExternalCustomerPage list(@Nullable String pageToken, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        failIfTold();
        List<Stored> live = live();
        int start = 0;
        if (pageToken != null) {
            long after = Long.parseLong(pageToken);
            start = (int) live.stream().takeWhile(c -> c.sequence() <= after).count();
        }
        List<Stored> page = live.subList(start, Math.min(live.size(), start + limit));
        boolean more = start + page.size() < live.size();
        return new ExternalCustomerPage(page.stream().map(Stored::toExternal).toList(),
                more ? Long.toString(page.getLast().sequence()) : null);
    }

    /** The next {@code writes} writes take effect, then throw {@link ExternalSystemUnavailable}. */
    public synchronized void loseNextResponses(int writes) {
        if (writes < 1) {
            throw new IllegalArgumentException("writes must be at least 1");
        }
        responsesToLose += writes;
    }

    /** The next call of any kind throws {@code failure} without doing anything; queue several for several calls. */
    public synchronized void failNext(RuntimeException failure) {
        failures.add(Objects.requireNonNull(failure, "failure"));
    }

    /** Forgets every idempotency key, as a system does once its retention (Stripe: 24 hours) has passed. */
    public synchronized void forgetIdempotencyKeys() {
        keys.clear();
    }

    /** Adds a customer as if made on the system's side; {@code localId} is null for one we never linked. */
    public synchronized ExternalId seed(@Nullable CustomerName customerName, @Nullable Email email,
                                        @Nullable CustomerId localId) {
        ExternalId id = new ExternalId("mem_" + (sequence + 1));
        customers.put(id, new Stored(id, ++sequence, customerName, email, localId, false));
        return id;
    }

    /** The live customers, oldest first. */
    public synchronized List<ExternalCustomer> customers() {
        return live().stream().map(Stored::toExternal).toList();
    }

    private List<Stored> live() {
        return customers.values().stream()
                .filter(c -> !c.deleted())
                .sorted(Comparator.comparingLong(Stored::sequence))
                .toList();
    }

    private @Nullable Saved replay(IdempotencyKey key, String operation, @Nullable ExternalId target,
                                   CustomerDetails details) {
        Saved saved = keys.get(key);
        if (saved == null) {
            return null;
        }
        if (!saved.operation().equals(operation) || !Objects.equals(saved.target(), target)
                || !Objects.equals(saved.details(), details)) {
            throw new ExternalChangeRejected(name, "the idempotency key was already used for another change");
        }
        return saved;
    }

    private void failIfTold() {
        RuntimeException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
    }

    private void loseResponseIfTold() {
        if (responsesToLose > 0) {
            responsesToLose--;
            throw new ExternalSystemUnavailable(name, "the response was lost (simulated)");
        }
    }
}
