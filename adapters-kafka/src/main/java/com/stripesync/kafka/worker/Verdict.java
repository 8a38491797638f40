package com.stripesync.kafka.worker;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** What a {@link RecordHandler} decided about one record. */
sealed interface Verdict {

    Verdict DONE = new Done();

    /** The record's outcome is recorded: the group may move past it. */
    record Done() implements Verdict {
    }

    /**
     * The record can never be handled: it goes to the dead-letter topic, then is done.
     *
     * @param reason  why, for the dead-letter headers only (it may quote personal data, so it is never logged)
     * @param details further dead-letter headers, such as the id of the refused change
     */
    record DeadLetter(String reason, Map<String, String> details) implements Verdict {
        public DeadLetter {
            Objects.requireNonNull(reason, "reason");
            details = Map.copyOf(details);
        }
    }

    /**
     * Try the record again after {@code delay}; nothing later in its partition is handled meanwhile.
     *
     * @param reason why, for the log: no personal data
     */
    record Defer(Duration delay, String reason) implements Verdict {
        public Defer {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
