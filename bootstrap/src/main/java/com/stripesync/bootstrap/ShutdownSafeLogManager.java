package com.stripesync.bootstrap;

import java.util.logging.LogManager;

/**
 * The JDK's {@link LogManager} with its handlers kept while the JVM shuts down. The JDK resets (removes) every
 * handler from a shutdown hook of its own, which runs alongside the service's: what the service logged while
 * stopping on SIGTERM ("Stopping stripe-sync", a resource that failed to stop) was lost about one time in
 * eight. The handlers write each record at once, so nothing is left unwritten when the JVM exits.
 *
 * <p>{@link Main} installs it through {@code java.util.logging.manager} before anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    /** The JVM refuses new shutdown hooks once, and only once, it has begun to shut down. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }
}
