package com.stripesync.domain.customer;

/** No live customer has this id (it never existed or was deleted). */
public final class CustomerNotFound extends RuntimeException {

    private final CustomerId id;

    public CustomerNotFound(CustomerId id) {
        super("No customer with id " + id.value());
        this.id = id;
    }

    public CustomerId id() {
        return id;
    }
}
