package com.stripesync.application.inbound;

import java.time.Duration;

/** What became of one inbound event. */
public sealed interface InboundOutcome {

    /** The local catalog now reflects the event (created, updated, deleted or linked). */
    record Applied(String what) implements InboundOutcome {
    }

    /** Nothing to do: a duplicate, a stale event, our own write echoed back, or a type the core does not handle. */
    record Ignored(String why) implements InboundOutcome {
    }

    /** Recorded as CONFLICT on the link, for a person to resolve; the event is done. */
    record Conflict(String what) implements InboundOutcome {
    }

    /** The event can never be applied (unreadable); it belongs in the dead-letter topic. */
    record Rejected(String reason) implements InboundOutcome {
    }

    /** A dependency (the catalog, the system's API) is unavailable; try the event again after {@code retryAfter}. */
    record Deferred(Duration retryAfter, String reason) implements InboundOutcome {
    }
}
