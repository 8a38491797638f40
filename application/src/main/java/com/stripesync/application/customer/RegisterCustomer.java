package com.stripesync.application.customer;

import com.stripesync.domain.link.LinkedCustomer;

/** Registers a new customer in the local catalog. */
public interface RegisterCustomer {

    LinkedCustomer register(RegisterCustomerCommand command);
}
