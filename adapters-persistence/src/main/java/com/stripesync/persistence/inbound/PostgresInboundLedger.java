package com.stripesync.persistence.inbound;

import static com.stripesync.persistence.jooq.Tables.PROCESSED_EVENTS;

import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.ConnectionFailures;
import java.util.Objects;
import org.jooq.DSLContext;

/**
 * {@link InboundLedger} over the {@code processed_events} table. One {@code INSERT ... ON CONFLICT DO NOTHING}
 * per event, on the calling thread's unit of work when there is one: the entry commits or rolls back with
 * the event's effect. Two transactions recording the same event at once are ordered by the primary key: the
 * second waits for the first, and inserts only if the first rolled back.
 */
public final class PostgresInboundLedger implements InboundLedger {

    private final DSLContext dsl;

    public PostgresInboundLedger(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    @Override
    public boolean recordOnce(SystemName system, EventId event) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(event, "event");
        int inserted = ConnectionFailures.translating(() -> dsl
                .insertInto(PROCESSED_EVENTS, PROCESSED_EVENTS.SYSTEM_NAME, PROCESSED_EVENTS.EVENT_ID)
                .values(system.value(), event.value())
                .onConflictDoNothing()
                .execute());
        return inserted == 1;
    }

    @Override
    public boolean contains(SystemName system, EventId event) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(event, "event");
        return ConnectionFailures.translating(() -> dsl.fetchExists(PROCESSED_EVENTS,
                PROCESSED_EVENTS.SYSTEM_NAME.eq(system.value()).and(PROCESSED_EVENTS.EVENT_ID.eq(event.value()))));
    }
}
