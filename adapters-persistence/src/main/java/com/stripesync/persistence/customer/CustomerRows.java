package com.stripesync.persistence.customer;

import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.persistence.ValueRecords;
import com.stripesync.persistence.jooq.tables.records.CustomersRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The one place that maps between {@link Customer}s and {@code customers} rows. */
public final class CustomerRows {

    private CustomerRows() {
    }

    public static CustomersRecord toRow(Customer customer) {
        CustomersRecord row = ValueRecords.of(CUSTOMERS);
        row.setId(customer.id().value());
        row.setName(customer.name().value());
        row.setEmail(customer.email().map(Email::value).orElse(null));
        row.setVersion(customer.version().value());
        row.setCreatedAt(timestamp(customer.createdAt()));
        row.setUpdatedAt(timestamp(customer.updatedAt()));
        row.setDeletedAt(customer.deletedAt().map(CustomerRows::timestamp).orElse(null));
        return row;
    }

    /** The columns a new version may change: the row minus its identity and creation time. */
    static CustomersRecord changesOf(Customer next) {
        CustomersRecord row = toRow(next);
        row.changed(CUSTOMERS.ID, false);
        row.changed(CUSTOMERS.CREATED_AT, false);
        return row;
    }

    public static Customer toCustomer(CustomersRecord row) {
        String email = row.getEmail();
        OffsetDateTime deletedAt = row.getDeletedAt();
        return Customer.restore(
                new CustomerId(row.getId()),
                new CustomerName(row.getName()),
                email == null ? null : new Email(email),
                new Version(row.getVersion()),
                row.getCreatedAt().toInstant(),
                row.getUpdatedAt().toInstant(),
                deletedAt == null ? null : deletedAt.toInstant());
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
