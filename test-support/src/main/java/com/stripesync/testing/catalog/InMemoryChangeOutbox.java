package com.stripesync.testing.catalog;

import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An outbox in memory, for tests of the core: changes in order, and which were published. */
public final class InMemoryChangeOutbox implements ChangeOutbox {

    private final List<CustomerChange> changes = new ArrayList<>();
    private final Set<ChangeId> published = new HashSet<>();

    @Override
    public synchronized ChangeId append(Customer after, ChangeKind kind, ChangeOrigin origin) {
        ChangeId id = new ChangeId(changes.size() + 1L);
        changes.add(CustomerChange.of(id, after, kind, origin));
        return id;
    }

    @Override
    public synchronized List<CustomerChange> lockNextUnpublished(int limit) {
        return changes.stream().filter(change -> !published.contains(change.id())).limit(limit).toList();
    }

    @Override
    public synchronized void markPublished(List<ChangeId> ids) {
        published.addAll(ids);
    }

    /** Every recorded change, in order. */
    public synchronized List<CustomerChange> changes() {
        return List.copyOf(changes);
    }
}
