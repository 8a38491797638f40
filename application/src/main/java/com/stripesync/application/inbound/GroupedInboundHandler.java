package com.stripesync.application.inbound;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * Applies events handed in one at a time, from many threads, in batches (group commit): each caller queues its
 * event, and a caller that gets to apply takes every event queued by then (up to {@code maxBatch}) and applies
 * them together through {@link HandleInboundEvents}, in the order they were queued. Up to
 * {@code concurrentBatches} batches are applied at once, so one batch's computing overlaps another's waits on
 * the database. A caller returns once its own event's outcome is committed, so callers that hand in one
 * customer's events one after the other (the inbound worker's lanes do) keep their order; events of different
 * customers may commit in any order, as they may when the lanes hand them in. Alone, an event is applied at
 * once: nothing waits for company.
 *
 * <p>A batch that throws is applied again one event at a time, so each caller gets its own event's outcome or
 * failure: an event that always fails (the worker dead-letters it after a few tries) never takes the events
 * that happened to share its batch with it.
 */
public final class GroupedInboundHandler implements HandleInboundEvent {

    private final HandleInboundEvents batches;
    private final int maxBatch;
    private final Semaphore appliers;
    private final Object queueLock = new Object();
    private final Queue<Pending> queued = new ArrayDeque<>();

    /** One batch at a time. */
    public GroupedInboundHandler(HandleInboundEvents batches, int maxBatch) {
        this(batches, maxBatch, 1);
    }

    public GroupedInboundHandler(HandleInboundEvents batches, int maxBatch, int concurrentBatches) {
        this.batches = Objects.requireNonNull(batches, "batches");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        if (concurrentBatches < 1) {
            throw new IllegalArgumentException("concurrentBatches must be positive: " + concurrentBatches);
        }
        this.maxBatch = maxBatch;
        this.appliers = new Semaphore(concurrentBatches);
    }

    private static final class Pending {
        final byte[] payload;
        /** Counted down once outcome or failure is set: what the caller waits for. */
        final CountDownLatch settled = new CountDownLatch(1);
        /** Guarded by queueLock: a batch has taken it from the queue. */
        boolean taken;
        @Nullable InboundOutcome outcome;
        @Nullable RuntimeException failure;

        Pending(byte[] payload) {
            this.payload = payload;
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
        while (!taken(mine)) {
            appliers.acquireUninterruptibly();
            try {
                if (!taken(mine)) {
                    applyNextBatch();
                }
            } finally {
                appliers.release();
            }
        }
        awaitUninterruptibly(mine.settled);
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

    private boolean taken(Pending pending) {
        synchronized (queueLock) {
            return pending.taken;
        }
    }

    /** Runs with a permit of {@link #appliers}; takes the queue's head, in order. */
    private void applyNextBatch() {
        List<Pending> batch = new ArrayList<>();
        synchronized (queueLock) {
            while (batch.size() < maxBatch && !queued.isEmpty()) {
                Pending next = queued.poll();
                next.taken = true;
                batch.add(next);
            }
        }
        try {
            applyTogether(batch);
        } finally {
            for (Pending pending : batch) {
                if (pending.outcome == null && pending.failure == null) {
                    pending.failure = new IllegalStateException("The batch stopped before this event was applied");
                }
                pending.settled.countDown();
            }
        }
    }

    private void applyTogether(List<Pending> batch) {
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

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
