package com.stripesync.bootstrap.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void runsWithFsyncAndSynchronousCommitOnSoAcknowledgedWritesAreDurable() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            assertThat(setting(database, "fsync")).isEqualTo("on");
            assertThat(setting(database, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(database, "full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void isPostgresql17() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            // 170011 for 17.11: two digits of major version, then four of minor.
            assertThat(setting(database, "server_version_num")).hasSize(6).startsWith("17");
        }
    }

    @Test
    void lowersAndComparesTextByUnicodeWhateverTheHostsLocale() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            assertThat(query(database, "SELECT datlocprovider::text || ' ' || datlocale FROM pg_database"
                    + " WHERE datname = current_database()")).isEqualTo("b C.UTF-8");
            // What Email.normalized() does: simple case mapping, code point by code point (U+0130 is "i").
            assertThat(query(database, "SELECT lower('\u00c9MILE.\u0130LHAN@\u00c9XAMPLE.COM')"))
                    .isEqualTo("\u00e9mile.ilhan@\u00e9xample.com");
        }
    }

    @Test
    void keepsItsDataAcrossRestartsOnTheSameDirectory() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            execute(database, "CREATE TABLE kept (value text)", "INSERT INTO kept VALUES ('still here')");
        }
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            assertThat(query(database, "SELECT value FROM kept")).isEqualTo("still here");
        }
    }

    @Test
    void neverKillsAProcessThatIsNotPostgresEvenIfAStalePidFileNamesIt() throws Exception {
        Process bystander = new ProcessBuilder("sleep", "30").start();
        try {
            Path directory = Files.createDirectories(dataDir.resolve("postgres"));
            Files.writeString(directory.resolve("postmaster.pid"), bystander.pid() + "\n" + directory + "\n");

            EmbeddedDatabase.stopOrphan(directory);

            assertThat(bystander.waitFor(500, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(bystander.isAlive()).isTrue();
        } finally {
            bystander.destroyForcibly();
        }
    }

    private static String setting(EmbeddedDatabase database, String name) throws SQLException {
        return query(database, "SHOW " + name);
    }

    private static String query(EmbeddedDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static void execute(EmbeddedDatabase database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
