package com.stripesync.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM resets its log manager from a shutdown hook, as the JDK's own hook does, and then logs: the line
 * survives with {@link ShutdownSafeLogManager}, and is lost with the JDK's manager (which shows the test provokes
 * the loss it guards against).
 */
class ShutdownSafeLogManagerTest {

    private static final String STOPPING_LINE = "logged while stopping";

    @TempDir
    Path workDir;

    @Test
    void aLineLoggedAfterAResetDuringShutdownIsWritten() throws Exception {
        assertThat(runChild(ShutdownSafeLogManager.class)).contains("ready").contains(STOPPING_LINE);
    }

    @Test
    void withTheJdksManagerTheSameLineIsLost() throws Exception {
        assertThat(runChild(LogManager.class)).contains("ready").doesNotContain(STOPPING_LINE);
    }

    /** Runs {@link ResetThenLogWhileStopping} with {@code manager}; returns its output. */
    private String runChild(Class<? extends LogManager> manager) throws Exception {
        Path log = workDir.resolve(manager.getSimpleName() + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx64m", "-Djava.util.logging.manager=" + manager.getName(),
                "-cp", System.getProperty("java.class.path"), ResetThenLogWhileStopping.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child JVM exited").isTrue();
        assertThat(child.exitValue()).isZero();
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** The child: logs, exits, and in a shutdown hook resets the log manager, then logs again. */
    public static final class ResetThenLogWhileStopping {

        private ResetThenLogWhileStopping() {
        }

        public static void main(String[] args) {
            Logger log = Logger.getLogger(ResetThenLogWhileStopping.class.getName());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LogManager.getLogManager().reset();
                log.info(STOPPING_LINE);
            }));
            log.info("ready with " + LogManager.getLogManager().getClass().getName());
            System.exit(0);
        }
    }
}
