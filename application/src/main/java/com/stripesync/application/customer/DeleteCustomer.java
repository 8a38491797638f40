package com.stripesync.application.customer;

/** Deletes a customer, keeping a tombstone so the deletion reaches external systems. */
public interface DeleteCustomer {

    void delete(DeleteCustomerCommand command);
}
