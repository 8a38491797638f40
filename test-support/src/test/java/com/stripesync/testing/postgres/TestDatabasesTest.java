package com.stripesync.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class TestDatabasesTest {

    @Test
    void freshSchemaIsTheCurrentSchemaOfItsUrl(TestDatabase database) throws SQLException {
        assertThat(database.jdbcUrl()).contains("currentSchema=" + database.schema());
        assertThat(query(database, "SELECT current_schema()")).isEqualTo(database.schema());
    }

    @Test
    void everyFreshSchemaIsANewOne(TestDatabase first, TestDatabase second) {
        assertThat(first.schema()).isNotEqualTo(second.schema());
    }

    @Test
    void unqualifiedTablesOfOneSchemaAreInvisibleInAnother(TestDatabase first, TestDatabase second)
            throws SQLException {
        execute(first, "CREATE TABLE notes (body text)");
        execute(first, "INSERT INTO notes VALUES ('only here')");

        assertThat(query(first, "SELECT body FROM notes")).isEqualTo("only here");
        assertThatThrownBy(() -> query(second, "SELECT body FROM notes"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("notes");
    }

    @Test
    void allTestClassesShareOneServer() {
        TestDatabase one = TestDatabases.freshSchema();
        TestDatabase other = TestDatabases.freshSchema();

        assertThat(TestDatabases.server().jdbcUrl()).isEqualTo(TestDatabases.server().jdbcUrl());
        assertThat(withoutQuery(one.jdbcUrl())).isEqualTo(withoutQuery(other.jdbcUrl()))
                .isEqualTo(withoutQuery(TestDatabases.server().jdbcUrl()));
    }

    @Test
    void currentSchemaReplacesOneTheUrlHadAndKeepsOtherParameters() {
        assertThat(TestDatabases.withCurrentSchema("jdbc:postgresql://h/db", "s1"))
                .isEqualTo("jdbc:postgresql://h/db?currentSchema=s1");
        assertThat(TestDatabases.withCurrentSchema("jdbc:postgresql://h/db?ssl=false&currentSchema=old&x=1", "s1"))
                .isEqualTo("jdbc:postgresql://h/db?currentSchema=s1&ssl=false&x=1");
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    static void execute(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String query(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row from %s", sql).isTrue();
            return rows.getString(1);
        }
    }
}
