package com.stripesync.domain.archfixture;

import io.helidon.http.Status;

/** Breaks "the domain depends only on the JDK": a domain class that knows an HTTP status. */
public final class DomainClassUsingHelidon {

    public int notFound() {
        return Status.NOT_FOUND_404.code();
    }
}
