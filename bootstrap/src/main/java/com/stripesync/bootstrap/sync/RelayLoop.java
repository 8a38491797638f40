package com.stripesync.bootstrap.sync;

import com.stripesync.application.sync.RelayChanges;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains the outbox into Kafka on one thread: batch after batch while there is work, a short nap when
 * the outbox is empty, a longer one after a failure (Kafka or PostgreSQL unreachable). Nothing is lost
 * while it naps: unpublished changes simply wait in the outbox.
 */
public final class RelayLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RelayLoop.class.getName());

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
        while (running) {
            try {
                int relayed = relay.relayNextBatch();
                if (failing) {
                    LOG.info("Outbox relay recovered");
                    failing = false;
                }
                if (relayed == 0) {
                    Thread.sleep(idlePause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
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
