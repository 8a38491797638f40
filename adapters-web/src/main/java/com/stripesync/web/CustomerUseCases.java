package com.stripesync.web;

import com.stripesync.application.customer.DeleteCustomer;
import com.stripesync.application.customer.GetCustomer;
import com.stripesync.application.customer.ListCustomers;
import com.stripesync.application.customer.RegisterCustomer;
import com.stripesync.application.customer.UpdateCustomer;
import java.util.Objects;

/** The incoming ports the customer routes call; one object may implement them all. */
public record CustomerUseCases(RegisterCustomer register, GetCustomer get, ListCustomers list, UpdateCustomer update,
                               DeleteCustomer delete) {

    public CustomerUseCases {
        Objects.requireNonNull(register, "register");
        Objects.requireNonNull(get, "get");
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(update, "update");
        Objects.requireNonNull(delete, "delete");
    }
}
