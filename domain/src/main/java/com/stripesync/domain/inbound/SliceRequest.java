package com.stripesync.domain.inbound;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import java.util.Objects;
import java.util.Set;

/**
 * What a batch of one system's events may read: the events (for the ledger), the system's customers they are
 * about, the local ids they name (our id in the system's metadata) and the emails they carry.
 */
public record SliceRequest(SystemName system, Set<EventId> events, Set<ExternalId> externalIds,
                           Set<CustomerId> customerIds, Set<Email> emails) {

    public SliceRequest {
        Objects.requireNonNull(system, "system");
        events = Set.copyOf(events);
        externalIds = Set.copyOf(externalIds);
        customerIds = Set.copyOf(customerIds);
        emails = Set.copyOf(emails);
    }
}
