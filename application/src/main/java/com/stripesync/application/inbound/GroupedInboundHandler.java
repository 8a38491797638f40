package com.stripesync.application.inbound;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Applies events handed in one at a time, from many threads, in batches (group commit): each caller queues its
 * event, and whichever caller gets to apply next takes every event queued by then (up to {@code maxBatch}) and
 * applies them together through {@link HandleInboundEvents}, in the order they were queued. A caller returns
 * once its own event's outcome is committed, so callers that hand in one customer's events one after the other
 * (the inbound worker does) keep their order. Alone, an event is applied at once: nothing waits for company.
 *
 * <p>A batch that throws is applied again one event at a time, so each caller gets its own event's outcome or
 * failure: an event that always fails (the worker dead-letters it after a few tries) never takes the events
 * that happened to share its batch with it.
 */
public final class GroupedInboundHandler implements HandleInboundEvent {

    private final HandleInboundEvents batches;
    private final int maxBatch;
    private final ReentrantLock applying = new ReentrantLock();
    private final Object queueLock = new Object();
    private final Queue<Pending> queued = new ArrayDeque<>();

    public GroupedInboundHandler(HandleInboundEvents batches, int maxBatch) {
        this.batches = Objects.requireNonNull(batches, "batches");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    private static final class Pending {
        final byte[] payload;
        @Nullable InboundOutcome outcome;
        @Nullable RuntimeException failure;

        Pending(byte[] payload) {
            this.payload = payload;
        }

        boolean settled() {
            return outcome != null || failure != null;
        }
    }

    /**
     * Applies the event, with whatever else is queued meanwhile.
     *
     * @throws RuntimeException what applying this event alone threw (nothing of it is committed)
     */
    @Override
    public InboundOutcome handle(byte[] payload) {
        Pending mine = new Pending(payload);
        synchronized (queueLock) {
            queued.add(mine);
        }
        // Callers handed in together (the worker starts a poll's events at once) queue before one of them applies.
        Thread.yield();
        applying.lock();
        try {
            while (!mine.settled()) {
                applyNextBatch();
            }
        } finally {
            applying.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return Objects.requireNonNull(mine.outcome);
    }

    /** How many events wait for a batch now. */
    int queuedEvents() {
        synchronized (queueLock) {
            return queued.size();
        }
    }

    /** Runs with {@link #applying} held, so batches never overlap and follow the queue's order. */
    private void applyNextBatch() {
        List<Pending> batch = new ArrayList<>();
        synchronized (queueLock) {
            while (batch.size() < maxBatch && !queued.isEmpty()) {
                batch.add(queued.poll());
            }
        }
        try {
            apply(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().failure = e;
                return;
            }
            // Which event failed? Each alone, in the queue's order; those the batch committed are duplicates now.
            for (Pending pending : batch) {
                try {
                    apply(List.of(pending));
                } catch (RuntimeException alone) {
                    pending.failure = alone;
                }
            }
        }
    }

    private void apply(List<Pending> batch) {
        List<InboundOutcome> outcomes = batches.handleAll(batch.stream().map(pending -> pending.payload).toList());
        if (outcomes.size() != batch.size()) {
            throw new IllegalStateException(outcomes.size() + " outcomes for " + batch.size() + " events");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome = Objects.requireNonNull(outcomes.get(i), "outcome");
        }
    }
}
