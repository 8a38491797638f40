package com.stripesync.web.customer;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.LinkedCustomer;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** A customer as the API shows it, with its links keyed by system name (in name order). */
public record CustomerResponse(String id, String name, @Nullable String email, long version, Instant createdAt,
                               Instant updatedAt, Map<String, LinkResponse> links) {

    public static CustomerResponse from(LinkedCustomer linked) {
        Customer customer = linked.customer();
        SortedMap<String, LinkResponse> links = new TreeMap<>();
        linked.links().forEach((system, link) -> links.put(system.value(), LinkResponse.from(link)));
        return new CustomerResponse(
                customer.id().value().toString(),
                customer.name().value(),
                customer.email().map(Email::value).orElse(null),
                customer.version().value(),
                customer.createdAt(),
                customer.updatedAt(),
                links);
    }
}
