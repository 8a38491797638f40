package com.stripesync.stripe.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 3 rounds of 30 concurrent calls, each round in a fresh JVM: with the keep-alive cache sized as the
 * service sizes it, the calls reuse their connections; with the JDK's default of 5, most calls of every
 * round after the first open a new one (against Stripe, a TLS handshake each).
 */
class KeepAliveConnectionsTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(KeepAliveConnectionsTest.class.getName());

    private static final Pattern OUTCOME = Pattern.compile("requests=(\\d+) connections=(\\d+) maxConcurrent=(\\d+)");

    @Test
    void sizedKeepAliveCacheReusesConnectionsTheJdkDefaultWouldChurn() throws Exception {
        Outcome sized = probe("sized");
        Outcome jdkDefault = probe("jdk-default");
        FIGURES.info("Connections for " + sized.requests() + " calls, 30 at a time: sized cache "
                + sized.connections() + ", JDK default " + jdkDefault.connections());

        assertThat(sized.requests()).isEqualTo(KeepAliveProbe.ROUNDS * KeepAliveProbe.CONCURRENT_CALLS);
        assertThat(sized.maxConcurrent()).as("all calls of a round in flight together").isGreaterThanOrEqualTo(25);
        assertThat(sized.connections()).isLessThanOrEqualTo(KeepAliveProbe.CONCURRENT_CALLS + 3);
        assertThat(jdkDefault.connections()).isGreaterThanOrEqualTo(2 * KeepAliveProbe.CONCURRENT_CALLS);
    }

    private record Outcome(int requests, int connections, int maxConcurrent) {
    }

    private static Outcome probe(String mode) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Files.createTempFile("keep-alive-probe-", ".log");
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KeepAliveProbe.class.getName(), mode).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe ends within a minute").isTrue();
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertThat(process.exitValue()).as(text).isZero();
        Matcher matcher = OUTCOME.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        List<Integer> numbers = List.of(matcher.group(1), matcher.group(2), matcher.group(3)).stream()
                .map(Integer::parseInt).toList();
        return new Outcome(numbers.get(0), numbers.get(1), numbers.get(2));
    }
}
