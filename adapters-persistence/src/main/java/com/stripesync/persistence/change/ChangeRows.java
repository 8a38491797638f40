package com.stripesync.persistence.change;

import static com.stripesync.persistence.jooq.Tables.CUSTOMER_CHANGES;

import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.persistence.ValueRecords;
import com.stripesync.persistence.jooq.tables.records.CustomerChangesRecord;
import java.time.ZoneOffset;

/** The one place that maps between {@link CustomerChange}s and {@code customer_changes} rows. */
public final class ChangeRows {

    private ChangeRows() {
    }

    /** The row that records the change bringing {@code after} to its version; its id is left to the database. */
    public static CustomerChangesRecord toRow(Customer after, ChangeKind kind, ChangeOrigin origin) {
        CustomerChangesRecord row = ValueRecords.of(CUSTOMER_CHANGES);
        row.setCustomerId(after.id().value());
        row.setVersion(after.version().value());
        row.setKind(kind.name());
        row.setOrigin(origin.externalSystem().map(SystemName::value).orElse(null));
        row.setName(after.name().value());
        row.setEmail(after.email().map(Email::value).orElse(null));
        row.setOccurredAt(after.updatedAt().atOffset(ZoneOffset.UTC));
        return row;
    }

    static CustomerChange toChange(CustomerChangesRecord row) {
        CustomerId customerId = new CustomerId(row.getCustomerId());
        String email = row.getEmail();
        String origin = row.getOrigin();
        return new CustomerChange(
                new ChangeId(row.getId()),
                customerId,
                new Version(row.getVersion()),
                ChangeKind.valueOf(row.getKind()),
                new CustomerDetails(customerId, new CustomerName(row.getName()), email == null ? null : new Email(email)),
                origin == null ? ChangeOrigin.LOCAL : ChangeOrigin.from(new SystemName(origin)),
                row.getOccurredAt().toInstant());
    }
}
