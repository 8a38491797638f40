package com.stripesync.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class MigrationsTest {

    @Test
    void migrationsBuildTheSchemaInAnEmptySchema(TestDatabase testDatabase) {
        DSLContext sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
        assertThat(tablesIn(sql, testDatabase.schema())).isEmpty();

        try (PostgresDatabase ignored = PostgresDatabase.open(TestSettings.of(testDatabase))) {
            assertThat(tablesIn(sql, testDatabase.schema()))
                    .containsExactlyInAnyOrder("customers", "external_links", "customer_changes", "processed_events",
                            "flyway_schema_history");
            assertThat(sql.fetch("SELECT column_name FROM information_schema.columns WHERE table_schema = ?"
                    + " AND table_name = 'external_links'", testDatabase.schema()).getValues(0, String.class))
                    .contains("handled_version", "last_event_at");
            assertThat(sql.fetch("SELECT indexname FROM pg_indexes WHERE schemaname = ?", testDatabase.schema())
                    .getValues(0, String.class))
                    .contains("customers_live_email_key", "customers_live_listing_idx", "customer_changes_unpublished_idx");
            assertThat(sql.fetchValue("SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND indexname = ?",
                    testDatabase.schema(), "customer_changes_unpublished_idx"))
                    .asString().endsWith("(id) WHERE (published_at IS NULL)");
            assertThat(appliedMigrations(sql)).isEqualTo(3);
        }
    }

    @Test
    void reopeningAppliesNothingTwiceAndKeepsTheData(TestDatabase testDatabase) {
        DSLContext sql = DSL.using(testDatabase.dataSource(), SQLDialect.POSTGRES);
        Customer ada = Customer.register(new CustomerName("Ada"), new Email("ada@example.io"), Instant.now());
        try (PostgresDatabase first = PostgresDatabase.open(TestSettings.of(testDatabase))) {
            first.customerCatalog().add(ada);
        }
        int rowsInHistory = sql.fetchCount(DSL.table("flyway_schema_history"));

        try (PostgresDatabase second = PostgresDatabase.open(TestSettings.of(testDatabase))) {
            assertThat(second.customerCatalog().find(ada.id())).map(LinkedCustomer::customer).contains(ada);
        }
        assertThat(sql.fetchCount(DSL.table("flyway_schema_history"))).isEqualTo(rowsInHistory);
        assertThat(appliedMigrations(sql)).isEqualTo(3);
    }

    private static List<String> tablesIn(DSLContext sql, String schema) {
        return sql.fetch("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", schema)
                .getValues(0, String.class);
    }

    private static int appliedMigrations(DSLContext sql) {
        return sql.fetchCount(DSL.table("flyway_schema_history"), DSL.field("success", Boolean.class).isTrue()
                .and(DSL.field("version").isNotNull()));
    }
}
