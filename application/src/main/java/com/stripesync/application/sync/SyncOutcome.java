package com.stripesync.application.sync;

import com.stripesync.domain.link.ExternalId;
import java.time.Duration;
import java.util.Objects;

/** What became of a change for one system. */
public sealed interface SyncOutcome {

    /** The system now holds the change; recorded as SYNCED or DELETED. */
    record Applied(String what, ExternalId externalId) implements SyncOutcome {
    }

    /** Nothing to send: already handled, superseded by a later change, came from that system, or never synced. */
    record Skipped(String why) implements SyncOutcome {
    }

    /** The system refused the change for good; recorded as FAILED. The change belongs in the dead-letter topic. */
    record Rejected(String reason) implements SyncOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The system stayed unavailable for the whole retry budget; nothing recorded, try the change again after {@code retryAfter}. */
    record Deferred(Duration retryAfter, String reason) implements SyncOutcome {
    }
}
