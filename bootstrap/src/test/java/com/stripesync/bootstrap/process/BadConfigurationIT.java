package com.stripesync.bootstrap.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration fails fast, with one last line that names the setting and the cause, and no stack trace. */
class BadConfigurationIT {

    @TempDir
    Path workDir;

    @Test
    void unreachableDatabaseUrlExitsWithinFifteenSecondsNamingDbUrlAndTheCause() throws Exception {
        String output = runExpectingFailure(Map.of(
                "SERVER_PORT", Integer.toString(ServiceProcess.freePort()),
                "DB_URL", "jdbc:postgresql://127.0.0.1:1/x",
                "DB_PASSWORD", "s3cret-never-printed"));

        String lastLine = lastLine(output);
        assertThat(lastLine).contains("DB_URL").contains("127.0.0.1:1").containsIgnoringCase("refused");
        assertThat(output).doesNotContain("s3cret-never-printed").doesNotContain("\tat ");
    }

    @Test
    void portThatIsNotANumberIsRejectedNamingServerPort() throws Exception {
        String output = runExpectingFailure(Map.of("SERVER_PORT", "eighty"));

        assertThat(lastLine(output)).contains("SERVER_PORT").contains("eighty");
        assertThat(output).doesNotContain("\tat ");
    }

    @Test
    void databaseUrlOfAnotherKindIsRejectedNamingDbUrl() throws Exception {
        String output = runExpectingFailure(Map.of("DB_URL", "mysql://localhost/x"));

        assertThat(lastLine(output)).contains("DB_URL").contains("jdbc:postgresql");
        assertThat(output).doesNotContain("\tat ");
    }

    @Test
    void aWebhookSecretGivenAsTheSecretKeyStopsTheStartWithoutEchoingIt() throws Exception {
        String output = runExpectingFailure(Map.of(
                "SERVER_PORT", Integer.toString(ServiceProcess.freePort()),
                "DB_URL", "jdbc:postgresql://127.0.0.1:1/x",
                "STRIPE_SECRET_KEY", "whsec_do_not_print_me"));

        assertThat(lastLine(output)).contains("STRIPE_SECRET_KEY");
        assertThat(output).doesNotContain("do_not_print_me").doesNotContain("\tat ");
    }

    @Test
    void aWorkerProcessWithoutSharedInfrastructureIsRefusedNamingWhatToSet() throws Exception {
        String output = runExpectingFailure(Map.of("SERVER_PORT", Integer.toString(ServiceProcess.freePort())), "worker");

        assertThat(lastLine(output)).contains("DB_URL").contains("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(output).doesNotContain("\tat ");
    }

    @Test
    void anUnknownRoleIsRefusedWithTheUsage() throws Exception {
        String output = runExpectingFailure(Map.of("SERVER_PORT", Integer.toString(ServiceProcess.freePort())), "workers");

        assertThat(lastLine(output)).contains("usage").contains("all|api|worker");
    }

    private String runExpectingFailure(Map<String, String> env) throws Exception {
        return runExpectingFailure(env, "all");
    }

    private String runExpectingFailure(Map<String, String> env, String role) throws Exception {
        Path log = workDir.resolve("service-" + System.nanoTime() + ".log");
        try (ServiceProcess service = ServiceProcess.start(env, log, role)) {
            assertThat(service.process().waitFor(15, TimeUnit.SECONDS)).as("exited within 15 s").isTrue();
            assertThat(service.process().exitValue()).isNotZero();
            return service.output();
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }
}
