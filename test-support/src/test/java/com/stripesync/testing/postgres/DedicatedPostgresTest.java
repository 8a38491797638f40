package com.stripesync.testing.postgres;

import static com.stripesync.testing.postgres.TestDatabasesTest.execute;
import static com.stripesync.testing.postgres.TestDatabasesTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DedicatedPostgresTest {

    @Test
    void stoppedServerRefusesConnectionsAndRestartsOnTheSamePortWithItsData() throws SQLException {
        try (DedicatedPostgres postgres = DedicatedPostgres.start()) {
            TestDatabase database = postgres.database();
            execute(database, "CREATE TABLE survivors (name text)");
            execute(database, "INSERT INTO survivors VALUES ('kept')");

            postgres.stop();

            assertThat(postgres.isRunning()).isFalse();
            assertThatThrownBy(() -> query(database, "SELECT 1")).isInstanceOf(SQLException.class);

            postgres.restart();

            assertThat(postgres.isRunning()).isTrue();
            assertThat(postgres.database()).isEqualTo(database);
            assertThat(query(database, "SELECT name FROM survivors")).isEqualTo("kept");
        }
    }

    @Test
    void closedServerIsGone() {
        DedicatedPostgres postgres = DedicatedPostgres.start();
        TestDatabase database = postgres.database();

        postgres.close();

        assertThat(postgres.isRunning()).isFalse();
        assertThatThrownBy(() -> query(database, "SELECT 1")).isInstanceOf(SQLException.class);
    }
}
