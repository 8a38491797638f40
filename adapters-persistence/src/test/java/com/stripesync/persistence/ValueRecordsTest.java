package com.stripesync.persistence;

import static com.stripesync.persistence.jooq.Tables.CUSTOMERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.persistence.change.ChangeRows;
import com.stripesync.persistence.customer.CustomerRows;
import com.stripesync.persistence.link.ExternalLinkRows;
import com.stripesync.persistence.jooq.tables.records.CustomersRecord;
import java.time.Instant;
import java.util.List;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

class ValueRecordsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void theRowMappersMakeRecordsAttachedToTheOneSharedConfiguration() {
        Customer customer = Customer.register(new CustomerName("Ada"), new Email("ada@example.com"), NOW);
        List<Record> rows = List.of(
                CustomerRows.toRow(customer),
                ExternalLinkRows.toRow(new ExternalLink(customer.id(), new SystemName("stripe"), new ExternalId("cus_1"),
                        SyncStatus.SYNCED, NOW, null, customer.version(), NOW)),
                ChangeRows.toRow(customer, ChangeKind.CREATED, ChangeOrigin.LOCAL));

        // Detached, each primary key set would have made jOOQ build a configuration with a copy of its settings.
        assertThat(rows).allSatisfy(row -> assertThat(row.configuration()).isSameAs(ValueRecords.of(CUSTOMERS).configuration()));
    }

    @Test
    void aValueRecordStartsEmptyAndUnchangedAndKeepsWhatIsSetOnIt() {
        CustomersRecord first = ValueRecords.of(CUSTOMERS);
        first.setName("Ada");
        CustomersRecord second = ValueRecords.of(CUSTOMERS);

        assertThat(first.getName()).isEqualTo("Ada");
        assertThat(first.changed(CUSTOMERS.NAME)).isTrue();
        assertThat(second.getName()).isNull();
        assertThat(second.changed()).isFalse();
    }
}
