package com.stripesync.persistence.change;

import static com.stripesync.persistence.jooq.Tables.CUSTOMER_CHANGES;
import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.val;

import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.ChangeOutbox;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import com.stripesync.persistence.ArrayTypes;
import com.stripesync.persistence.ConnectionFailures;
import com.stripesync.persistence.transaction.PostgresUnitOfWork;
import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;

/**
 * {@link ChangeOutbox} over the {@code customer_changes} table. Relays take unpublished changes with
 * {@code FOR UPDATE SKIP LOCKED}: a row locked by one relay's unit of work is skipped by the others until
 * that unit of work ends, published (marked) or not (rolled back, so the row is taken again later).
 */
public final class PostgresChangeOutbox implements ChangeOutbox {

    private static final DataType<Long[]> BIGINT_ARRAY = ArrayTypes.of(SQLDataType.BIGINT);

    private final DSLContext dsl;

    public PostgresChangeOutbox(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    @Override
    public ChangeId append(Customer after, ChangeKind kind, ChangeOrigin origin) {
        long id = ConnectionFailures.translating(() -> dsl.insertInto(CUSTOMER_CHANGES)
                .set(ChangeRows.toRow(after, kind, origin))
                .returningResult(CUSTOMER_CHANGES.ID)
                .fetchSingle()
                .value1());
        return new ChangeId(id);
    }

    /** @throws IllegalStateException outside a unit of work, where the locks would end with the statement */
    @Override
    public List<CustomerChange> lockNextUnpublished(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        PostgresUnitOfWork.requireActive(dsl, "lockNextUnpublished");
        return ConnectionFailures.translating(() -> dsl.selectFrom(CUSTOMER_CHANGES)
                .where(CUSTOMER_CHANGES.PUBLISHED_AT.isNull())
                .orderBy(CUSTOMER_CHANGES.ID)
                .limit(limit)
                .forUpdate()
                .skipLocked()
                .fetch(ChangeRows::toChange));
    }

    @Override
    public void markPublished(List<ChangeId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        ConnectionFailures.translating(() -> dsl.update(CUSTOMER_CHANGES)
                .set(CUSTOMER_CHANGES.PUBLISHED_AT, currentOffsetDateTime())
                // One array bind: the same statement text for a batch of any size.
                .where(CUSTOMER_CHANGES.ID.eq(any(val(ids.stream().map(ChangeId::value).toArray(Long[]::new),
                        BIGINT_ARRAY))))
                .and(CUSTOMER_CHANGES.PUBLISHED_AT.isNull())
                .execute());
    }
}
