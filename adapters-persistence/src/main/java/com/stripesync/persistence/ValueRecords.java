package com.stripesync.persistence;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Records made to carry values into a statement (never stored or refreshed themselves), attached to one shared
 * configuration without a connection.
 *
 * <p>A record attached to nothing makes jOOQ build a default configuration, with its own copy of the default
 * {@code Settings}, each time a primary key column is set (it asks the settings whether keys may be updated):
 * three copies for each webhook event a batch writes, 6.5% of the bytes the service allocated in a benchmark
 * run. Attached here, it reads this configuration's settings instead.
 */
public final class ValueRecords {

    private static final DSLContext VALUES = DSL.using(SQLDialect.POSTGRES);

    private ValueRecords() {
    }

    /** A new, empty record of {@code table}. */
    public static <R extends Record> R of(Table<R> table) {
        return VALUES.newRecord(table);
    }
}
