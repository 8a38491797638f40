package com.stripesync.domain.sync;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A page of an external system's customers; {@code next} continues the listing, absent on the last page. */
public record ExternalCustomerPage(List<ExternalCustomer> items, @Nullable String next) {

    public ExternalCustomerPage {
        items = List.copyOf(items);
    }

    public Optional<String> nextPage() {
        return Optional.ofNullable(next);
    }
}
