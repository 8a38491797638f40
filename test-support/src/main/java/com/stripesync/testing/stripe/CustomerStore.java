package com.stripesync.testing.stripe;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The fake's customers, deleted stubs included, in creation order. Thread-safe. */
final class CustomerStore {

    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ID_LENGTH = 14;

    private final Map<String, FakeCustomer> customers = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private long sequence;

    CustomerStore(Clock clock) {
        this.clock = clock;
    }

    synchronized FakeCustomer create(@Nullable String name, @Nullable String email, @Nullable String description,
                                     @Nullable String phone, Map<String, String> metadata) {
        String id;
        do {
            id = newId();
        } while (customers.containsKey(id));
        var now = clock.instant();
        FakeCustomer customer = new FakeCustomer(id, now, now, ++sequence, name, email, description, phone, metadata,
                false);
        customers.put(id, customer);
        return customer;
    }

    synchronized Optional<FakeCustomer> find(String id) {
        return Optional.ofNullable(customers.get(id));
    }

    synchronized FakeCustomer replace(FakeCustomer customer) {
        if (!customers.containsKey(customer.id())) {
            throw new IllegalStateException("Unknown customer " + customer.id());
        }
        customers.put(customer.id(), customer);
        return customer;
    }

    /** Every customer ever created, deleted ones included, oldest first. */
    synchronized List<FakeCustomer> all() {
        return List.copyOf(customers.values());
    }

    synchronized void clear() {
        customers.clear();
    }

    private String newId() {
        StringBuilder id = new StringBuilder("cus_");
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
