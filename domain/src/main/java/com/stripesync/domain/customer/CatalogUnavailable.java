package com.stripesync.domain.customer;

/** The catalog's store cannot be reached right now; nothing was changed, and the same call may succeed later. */
public final class CatalogUnavailable extends RuntimeException {

    public CatalogUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
