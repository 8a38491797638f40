package com.stripesync.domain.customer;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One page of the catalog listing: at most {@code limit} customers after {@code after}. */
public record PageRequest(int limit, @Nullable PageCursor after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidCustomerException("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, null);
    }

    public Optional<PageCursor> cursor() {
        return Optional.ofNullable(after);
    }
}
