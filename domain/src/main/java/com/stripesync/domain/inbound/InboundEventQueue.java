package com.stripesync.domain.inbound;

import com.stripesync.domain.link.SystemName;

/** The durable queue between accepting a webhook and applying it. */
public interface InboundEventQueue {

    /**
     * Returns only once the event is durably stored (it survives a crash right after).
     *
     * @throws EventHandOffFailed when it could not be stored in time; the sender should retry
     */
    void enqueue(SystemName system, VerifiedEvent event);
}
