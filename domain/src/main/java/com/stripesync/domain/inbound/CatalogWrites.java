package com.stripesync.domain.inbound;

import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SystemName;
import java.util.List;
import java.util.Objects;

/**
 * What applying a batch of one system's events changed, to be written in one go.
 *
 * @param processed the events applied now, for the ledger
 * @param added     customers new to the catalog, as the batch left them (imported and changed again: past version 1)
 * @param replaced  customers changed (or deleted), each with the version the batch read
 * @param changes   the outbox records of those changes, in the order they happened
 * @param links     every link the batch changed or created, as it is to be stored
 */
public record CatalogWrites(SystemName system, List<EventId> processed, List<Customer> added, List<Replacement> replaced,
                            List<Change> changes, List<ExternalLink> links) {

    public CatalogWrites {
        Objects.requireNonNull(system, "system");
        processed = List.copyOf(processed);
        added = List.copyOf(added);
        replaced = List.copyOf(replaced);
        changes = List.copyOf(changes);
        links = List.copyOf(links);
    }

    /** The customer's new state, written only while it is still stored at {@code readVersion}. */
    public record Replacement(Customer next, Version readVersion) {

        public Replacement {
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(readVersion, "readVersion");
        }
    }

    /** One outbox record: the change that brought {@code after} to its version. */
    public record Change(Customer after, ChangeKind kind, ChangeOrigin origin) {

        public Change {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(origin, "origin");
        }
    }

    public boolean isEmpty() {
        return processed.isEmpty() && added.isEmpty() && replaced.isEmpty() && changes.isEmpty() && links.isEmpty();
    }
}
