package com.stripesync.domain.inbound;

import com.stripesync.domain.link.SystemName;

/** The events already applied, per system. Joins the caller's unit of work, so an event counts as applied exactly when its effect commits. */
public interface InboundLedger {

    /** Records the event; false when it was recorded before (a redelivery or a duplicate). */
    boolean recordOnce(SystemName system, EventId event);

    /** Whether the event is recorded (committed, or in the caller's unit of work), without recording it. */
    boolean contains(SystemName system, EventId event);
}
