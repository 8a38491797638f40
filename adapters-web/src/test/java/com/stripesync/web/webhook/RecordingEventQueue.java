package com.stripesync.web.webhook;

import com.stripesync.domain.inbound.EventHandOffFailed;
import com.stripesync.domain.inbound.InboundEventQueue;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.link.SystemName;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Records what is queued; or, once told to fail, takes as long as a real queue's bound and then reports
 * that the event could not be stored, as the Kafka queue does when the broker does not acknowledge in time.
 */
final class RecordingEventQueue implements InboundEventQueue {

    record Queued(SystemName system, VerifiedEvent event) {
    }

    private final List<Queued> queued = new CopyOnWriteArrayList<>();
    private volatile @Nullable Duration failingAfter;

    @Override
    public void enqueue(SystemName system, VerifiedEvent event) {
        Duration bound = failingAfter;
        if (bound != null) {
            try {
                Thread.sleep(bound);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new EventHandOffFailed("the broker did not acknowledge within " + bound.toMillis() + " ms", null);
        }
        queued.add(new Queued(system, event));
    }

    void failAfter(Duration bound) {
        failingAfter = bound;
    }

    void reset() {
        queued.clear();
        failingAfter = null;
    }

    List<Queued> queued() {
        return List.copyOf(queued);
    }
}
