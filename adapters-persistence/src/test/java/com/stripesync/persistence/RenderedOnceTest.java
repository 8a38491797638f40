package com.stripesync.persistence;

import static com.stripesync.persistence.jooq.Tables.PROCESSED_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.unnest;
import static org.jooq.impl.DSL.val;

import com.stripesync.testing.postgres.PostgresExtension;
import com.stripesync.testing.postgres.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class RenderedOnceTest {

    private static final DataType<String[]> TEXTS = ArrayTypes.of(SQLDataType.VARCHAR);
    private static final DataType<String> SYSTEM = PROCESSED_EVENTS.SYSTEM_NAME.getDataType();

    private final List<String> statements = new ArrayList<>();
    private final List<List<Object>> binds = new ArrayList<>();
    private DSLContext dsl;
    private PostgresDatabase migrated;

    @BeforeEach
    void connect(TestDatabase database) {
        migrated = PostgresDatabase.open(TestSettings.of(database));
        dsl = DSL.using(database.dataSource(), SQLDialect.POSTGRES).configuration()
                .derive(new DefaultExecuteListenerProvider(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext context) {
                        statements.add(context.sql());
                        binds.add(context.query() == null ? List.of() : context.query().getBindValues());
                    }
                })).dsl();
    }

    @AfterEach
    void close() {
        migrated.close();
    }

    @Test
    void runsAsTheDslWouldWithEachRunsValuesInThePlaceholdersPlaces() {
        RenderedOnce record = RenderedOnce.of(dsl, placeholders -> {
            Table<?> events = unnest(placeholders.next(TEXTS)).as("e", PROCESSED_EVENTS.EVENT_ID.getName());
            return dsl.insertInto(PROCESSED_EVENTS, PROCESSED_EVENTS.SYSTEM_NAME, PROCESSED_EVENTS.EVENT_ID)
                    .select(select(placeholders.next(SYSTEM), events.field(PROCESSED_EVENTS.EVENT_ID)).from(events))
                    .onConflict().doNothing();
        });
        RenderedOnce recorded = RenderedOnce.of(dsl, placeholders -> dsl.select(PROCESSED_EVENTS.EVENT_ID)
                .from(PROCESSED_EVENTS)
                .where(PROCESSED_EVENTS.SYSTEM_NAME.eq(placeholders.next(SYSTEM)))
                .and(PROCESSED_EVENTS.EVENT_ID.eq(any(placeholders.next(TEXTS))))
                .orderBy(PROCESSED_EVENTS.EVENT_ID));

        assertThat(record.execute(dsl, new String[] {"evt_1", "evt_2"}, "rendered-once-a")).isEqualTo(2);
        assertThat(record.execute(dsl, new String[] {"evt_2", "evt_3", "evt_4"}, "rendered-once-b")).isEqualTo(3);
        List<String> found = recorded.query(dsl, "rendered-once-b", new String[] {"evt_1", "evt_3", "evt_4"})
                .coerce(PROCESSED_EVENTS.EVENT_ID).fetch(PROCESSED_EVENTS.EVENT_ID);

        assertThat(found).containsExactly("evt_3", "evt_4");
        String asTheDslWouldRenderIt = dsl.render(dsl.select(PROCESSED_EVENTS.EVENT_ID).from(PROCESSED_EVENTS)
                .where(PROCESSED_EVENTS.SYSTEM_NAME.eq(val("rendered-once-b", SYSTEM)))
                .and(PROCESSED_EVENTS.EVENT_ID.eq(any(val(new String[] {"evt_1"}, TEXTS))))
                .orderBy(PROCESSED_EVENTS.EVENT_ID));
        assertThat(statements.get(2)).isEqualTo(asTheDslWouldRenderIt);
        assertThat(statements.get(0)).isEqualTo(statements.get(1));
        // Bound in the text's order (the system comes first in it), each value where its placeholder was.
        assertThat(binds.get(1)).containsExactly("rendered-once-b", new String[] {"evt_2", "evt_3", "evt_4"});
    }

    @Test
    void takesOneValuePerPlaceholder() {
        RenderedOnce statement = RenderedOnce.of(dsl, placeholders -> dsl.selectFrom(PROCESSED_EVENTS)
                .where(PROCESSED_EVENTS.EVENT_ID.eq(placeholders.next(SQLDataType.VARCHAR))));

        assertThatIllegalArgumentException().isThrownBy(() -> statement.query(dsl, "a", "b"))
                .withMessage("1 values expected, not 2");
        assertThat(statement.template()).doesNotContain("?").contains("{0}");
    }
}
