package com.stripesync.domain.customer;

import com.stripesync.domain.link.LinkedCustomer;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A page of live customers in listing order; {@code next} is absent on the last page. */
public record CustomerPage(List<LinkedCustomer> items, @Nullable PageCursor next) {

    public CustomerPage {
        items = List.copyOf(items);
    }

    public Optional<PageCursor> nextCursor() {
        return Optional.ofNullable(next);
    }
}
