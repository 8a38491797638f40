package com.stripesync.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.stripesync.testing.postgres.DedicatedPostgres;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresDatabaseTest {

    private static final Duration FAILURE_BOUND = Duration.ofSeconds(15);

    @Test
    void openFailsFastNamingTheUrlButNoPasswordWhenNothingListens() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/stripesync?password=hunter2",
                "stripesync", "s3cret", 4, Duration.ofSeconds(2));

        DatabaseUnavailable failure = assertTimeoutPreemptively(FAILURE_BOUND,
                () -> catchThrowableOfType(DatabaseUnavailable.class, () -> PostgresDatabase.open(settings)));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage())
                .startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/stripesync: ")
                .containsIgnoringCase("refused")
                .doesNotContain("hunter2", "s3cret")
                .doesNotContain("\n");
    }

    @Test
    void openFailsInBoundedTimeWhenTheServerAcceptsButNeverAnswers() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            DatabaseSettings settings = new DatabaseSettings(
                    "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/stripesync", "stripesync", null, 4,
                    Duration.ofSeconds(2));

            DatabaseUnavailable failure = assertTimeoutPreemptively(FAILURE_BOUND,
                    () -> catchThrowableOfType(DatabaseUnavailable.class, () -> PostgresDatabase.open(settings)));

            assertThat(failure).isNotNull();
            assertThat(failure.getMessage()).startsWith("cannot connect to jdbc:postgresql://127.0.0.1:");
            acceptor.interrupt();
        }
    }

    @Test
    void isReachableWhileTheServerRuns(TestDatabase testDatabase) {
        try (PostgresDatabase database = PostgresDatabase.open(TestSettings.of(testDatabase))) {
            assertThat(database.isReachable(Duration.ofSeconds(2))).isTrue();
        }
    }

    @Test
    void isNotReachableOnceClosed(TestDatabase testDatabase) {
        PostgresDatabase database = PostgresDatabase.open(TestSettings.of(testDatabase));

        database.close();

        assertThat(database.isReachable(Duration.ofSeconds(2))).isFalse();
    }

    @Test
    void isReachableFollowsTheServerGoingDownAndComingBack() {
        try (DedicatedPostgres postgres = DedicatedPostgres.start();
             PostgresDatabase database = PostgresDatabase.open(TestSettings.of(postgres.database()))) {
            assertThat(database.isReachable(Duration.ofSeconds(2))).isTrue();

            postgres.stop();

            long started = System.nanoTime();
            assertThat(database.isReachable(Duration.ofSeconds(1))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

            postgres.restart();

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> database.isReachable(Duration.ofSeconds(1)));
        }
    }
}
