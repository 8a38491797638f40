package com.stripesync.bootstrap.sync;

import com.stripesync.application.sync.RelayChanges;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains the outbox into Kafka on one thread: batch after batch while there is work, a nap when the outbox
 * is empty, a longer one after a failure (Kafka or PostgreSQL unreachable). Nothing is lost while it naps:
 * unpublished changes simply wait in the outbox.
 *
 * <p>The nap starts short ({@code idlePause}) and doubles with each empty look, up to {@link #MAX_IDLE_PAUSE}:
 * a change made while the relay has work, or soon after, leaves within the short nap; an idle service does not
 * query its outbox fifty times a second (that polling was a tenth of the service's CPU while it took webhooks
 * one at a time).
 */
public final class RelayLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RelayLoop.class.getName());
    /** The longest nap of an idle relay: the most an idle service adds to a change's way to Kafka. */
    static final Duration MAX_IDLE_PAUSE = Duration.ofMillis(250);

    private final RelayChanges relay;
    private final Duration idlePause;
    private final Duration failurePause;
    private final Thread thread;
    private volatile boolean running = true;

    private RelayLoop(RelayChanges relay, Duration idlePause, Duration failurePause) {
        this.relay = relay;
        this.idlePause = idlePause;
        this.failurePause = failurePause;
        this.thread = Thread.ofPlatform().name("outbox-relay").daemon(true).unstarted(this::run);
    }

    public static RelayLoop start(RelayChanges relay, Duration idlePause, Duration failurePause) {
        RelayLoop loop = new RelayLoop(relay, idlePause, failurePause);
        loop.thread.start();
        return loop;
    }

    private void run() {
        boolean failing = false;
        Duration nap = idlePause;
        while (running) {
            try {
                int relayed = relay.relayNextBatch();
                if (failing) {
                    LOG.info("Outbox relay recovered");
                    failing = false;
                }
                if (relayed == 0) {
                    Thread.sleep(nap);
                    nap = nextIdlePause(nap, idlePause);
                } else {
                    nap = idlePause;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    // Stopped in the middle of a batch (close() interrupts the send): not a failure to report,
                    // the batch rolled back and its changes wait in the outbox for the next start.
                    return;
                }
                if (!failing) {
                    // Once per failure streak: the message names the cause, never a payload.
                    LOG.log(Level.WARNING, "Outbox relay cannot publish, retrying every " + failurePause.toMillis()
                            + " ms: " + e.getMessage());
                    failing = true;
                }
                try {
                    Thread.sleep(failurePause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The nap after one more empty look: double the last, at least {@code shortest}, at most {@link #MAX_IDLE_PAUSE}. */
    static Duration nextIdlePause(Duration last, Duration shortest) {
        Duration doubled = last.multipliedBy(2);
        if (doubled.compareTo(shortest) < 0) {
            return shortest;
        }
        return doubled.compareTo(MAX_IDLE_PAUSE) > 0 ? MAX_IDLE_PAUSE : doubled;
    }

    /** Lets the current batch finish (or fail and roll back), then stops. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
