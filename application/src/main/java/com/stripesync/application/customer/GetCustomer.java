package com.stripesync.application.customer;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.link.LinkedCustomer;

/** Reads one live customer. */
public interface GetCustomer {

    /** @throws com.stripesync.domain.customer.CustomerNotFound when absent or deleted */
    LinkedCustomer get(CustomerId id);
}
