package com.stripesync.domain.inbound;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.link.ExternalLink;
import java.util.List;
import java.util.Set;

/**
 * The part of the catalog a {@link SliceRequest} named, as stored when it was locked.
 *
 * @param processed the requested events applied before
 * @param customers the customers found, tombstones included
 * @param links     every link of those customers, to any system
 */
public record CatalogSlice(Set<EventId> processed, List<Customer> customers, List<ExternalLink> links) {

    public CatalogSlice {
        processed = Set.copyOf(processed);
        customers = List.copyOf(customers);
        links = List.copyOf(links);
    }
}
