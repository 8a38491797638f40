package com.stripesync.persistence.customer;

import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.val;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.PageCursor;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.persistence.ConnectionFailures;
import com.stripesync.persistence.link.ExternalLinkRows;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * {@link CustomerCatalog} over the {@code customers} and {@code external_links} tables. The database
 * enforces the rules: email uniqueness among live customers by the partial unique index
 * {@value EmailConflicts#LIVE_EMAIL_KEY}, optimistic locking by a conditional update on the previous version.
 *
 * <p>Its own transactions use jOOQ's contextual API, so inside a caller's unit of work they nest as
 * savepoints of it; the {@link DSLContext} must therefore have a
 * {@link org.jooq.impl.ThreadLocalTransactionProvider}.
 */
public final class PostgresCustomerCatalog implements CustomerCatalog {

    private final DSLContext dsl;

    public PostgresCustomerCatalog(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    @Override
    public void add(Customer customer) {
        try {
            dsl.insertInto(CUSTOMERS).set(CustomerRows.toRow(customer)).execute();
        } catch (DataAccessException e) {
            throw EmailConflicts.emailConflictOr(e, List.of(customer));
        }
    }

    @Override
    public void replace(Customer next) {
        if (next.version().value() < 2) {
            throw new IllegalArgumentException("A replacement comes after a stored version, not at version 1: " + next);
        }
        try {
            dsl.transaction(() -> {
                int updated = dsl.update(CUSTOMERS)
                        .set(CustomerRows.changesOf(next))
                        .where(CUSTOMERS.ID.eq(next.id().value()))
                        .and(CUSTOMERS.VERSION.eq(next.version().value() - 1))
                        .and(CUSTOMERS.DELETED_AT.isNull())
                        .execute();
                if (updated == 0) {
                    throw whyNotReplaced(next);
                }
            });
        } catch (DataAccessException e) {
            throw EmailConflicts.emailConflictOr(e, List.of(next));
        }
    }

    /** Nothing matched the conditional update: the customer is gone, or at another version. */
    private RuntimeException whyNotReplaced(Customer next) {
        boolean live = dsl.fetchExists(CUSTOMERS, CUSTOMERS.ID.eq(next.id().value()).and(CUSTOMERS.DELETED_AT.isNull()));
        return live ? new StaleVersion(next.id(), next.version().previous()) : new CustomerNotFound(next.id());
    }

    @Override
    public Optional<LinkedCustomer> find(CustomerId id) {
        return findLive(CUSTOMERS.ID.eq(id.value()));
    }

    @Override
    public Optional<LinkedCustomer> findByEmail(Email email) {
        // The same expression as the unique index, compared by PostgreSQL's lower(), not Java's.
        return findLive(lower(CUSTOMERS.EMAIL).eq(lower(val(email.value()))));
    }

    private Optional<LinkedCustomer> findLive(Condition condition) {
        return ConnectionFailures.translating(() -> dsl.transactionResult(() -> dsl.selectFrom(CUSTOMERS)
                .where(condition)
                .and(CUSTOMERS.DELETED_AT.isNull())
                .fetchOptional(CustomerRows::toCustomer)
                .map(customer -> withLinks(List.of(customer)).getFirst())));
    }

    @Override
    public Optional<Version> currentVersion(CustomerId id) {
        return ConnectionFailures.translating(() -> dsl.select(CUSTOMERS.VERSION).from(CUSTOMERS)
                .where(CUSTOMERS.ID.eq(id.value()))
                .fetchOptional(row -> new Version(row.value1())));
    }

    /**
     * Keyset pagination on (created_at, id): a cursor is a position in that order, not an offset, so rows
     * added or removed elsewhere never shift a listing in progress. One row more than asked tells whether
     * a next page exists.
     */
    @Override
    public CustomerPage list(PageRequest request) {
        Condition afterCursor = request.cursor()
                .map(cursor -> row(CUSTOMERS.CREATED_AT, CUSTOMERS.ID)
                        .gt(CustomerRows.timestamp(cursor.createdAt()), cursor.id().value()))
                .orElse(noCondition());
        return ConnectionFailures.translating(() -> dsl.transactionResult(() -> {
            List<Customer> rows = dsl.selectFrom(CUSTOMERS)
                    .where(CUSTOMERS.DELETED_AT.isNull())
                    .and(afterCursor)
                    .orderBy(CUSTOMERS.CREATED_AT, CUSTOMERS.ID)
                    .limit(request.limit() + 1)
                    .fetch(CustomerRows::toCustomer);
            boolean more = rows.size() > request.limit();
            List<Customer> page = more ? rows.subList(0, request.limit()) : rows;
            return new CustomerPage(withLinks(page), more ? PageCursor.after(page.getLast()) : null);
        }));
    }

    /** The customers with their links, in the same order, loading the links of all of them in one query. */
    private List<LinkedCustomer> withLinks(List<Customer> customers) {
        var links = ExternalLinkRows.linksOf(dsl, customers.stream().map(Customer::id).toList());
        return customers.stream()
                .map(customer -> new LinkedCustomer(customer, links.getOrDefault(customer.id(), Map.of())))
                .toList();
    }
}
