package com.stripesync.application.customer;

import com.stripesync.domain.link.LinkedCustomer;

/** Changes an existing customer's details; never creates one. */
public interface UpdateCustomer {

    LinkedCustomer update(UpdateCustomerCommand command);
}
