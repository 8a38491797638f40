package com.stripesync.application.sync;

import com.stripesync.domain.transaction.UnitOfWork;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.ChangePublisher;
import com.stripesync.domain.change.CustomerChange;
import java.util.List;
import java.util.Objects;

/**
 * Locks a batch of unpublished changes (other relays skip them), publishes it and marks it published in
 * the same transaction. If publishing fails the transaction rolls back and the batch stays unpublished;
 * if the commit fails after publishing, the batch is published again later: workers treat a change
 * they already handled as done, so a duplicate is harmless.
 */
public final class OutboxRelay implements RelayChanges {

    private final ChangeOutbox outbox;
    private final ChangePublisher publisher;
    private final UnitOfWork unitOfWork;
    private final int batchSize;

    public OutboxRelay(ChangeOutbox outbox, ChangePublisher publisher, UnitOfWork unitOfWork, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.batchSize = batchSize;
    }

    @Override
    public int relayNextBatch() {
        return unitOfWork.inTransaction(() -> {
            List<CustomerChange> batch = outbox.lockNextUnpublished(batchSize);
            if (batch.isEmpty()) {
                return 0;
            }
            publisher.publish(batch);
            outbox.markPublished(batch.stream().map(CustomerChange::id).toList());
            return batch.size();
        });
    }
}
