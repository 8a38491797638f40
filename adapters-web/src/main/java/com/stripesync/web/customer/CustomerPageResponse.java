package com.stripesync.web.customer;

import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.PageCursor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A page of customers; {@code nextCursor} is null on the last page. */
public record CustomerPageResponse(List<CustomerResponse> items, @Nullable String nextCursor) {

    public static CustomerPageResponse from(CustomerPage page) {
        return new CustomerPageResponse(
                page.items().stream().map(CustomerResponse::from).toList(),
                page.nextCursor().map(PageCursor::token).orElse(null));
    }
}
