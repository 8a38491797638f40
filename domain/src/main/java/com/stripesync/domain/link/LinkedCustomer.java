package com.stripesync.domain.link;

import com.stripesync.domain.customer.Customer;
import java.util.Map;
import java.util.Objects;

/** A customer together with its links to external systems, keyed by system. */
public record LinkedCustomer(Customer customer, Map<SystemName, ExternalLink> links) {

    public LinkedCustomer {
        Objects.requireNonNull(customer, "customer");
        links = Map.copyOf(links);
    }

    public static LinkedCustomer unlinked(Customer customer) {
        return new LinkedCustomer(customer, Map.of());
    }
}
