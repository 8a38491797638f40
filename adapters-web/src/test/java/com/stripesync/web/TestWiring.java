package com.stripesync.web;

import com.stripesync.application.customer.CustomerService;
import com.stripesync.testing.catalog.ImmediateUnitOfWork;
import com.stripesync.testing.catalog.InMemoryChangeOutbox;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** The web adapter over the real use cases and a given catalog, as bootstrap wires it. */
public final class TestWiring {

    private TestWiring() {
    }

    public static CustomerUseCases useCases(InMemoryCustomerCatalog catalog) {
        CustomerService service = new CustomerService(catalog, new InMemoryChangeOutbox(), catalog,
                new ImmediateUnitOfWork(), Set.of(), new TickingClock());
        return new CustomerUseCases(service, service, service, service, service);
    }

    /** A clock one millisecond later at every reading, so creation order is unambiguous. */
    private static final class TickingClock extends Clock {

        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-11-27T09:00:00Z").toEpochMilli());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.incrementAndGet());
        }
    }
}
