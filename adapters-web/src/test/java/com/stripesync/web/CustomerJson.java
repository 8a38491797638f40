package com.stripesync.web;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Request bodies for the customer routes. */
public final class CustomerJson {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private CustomerJson() {
    }

    public static String details(String name, String email) {
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}";
    }

    /** An address no other test uses. */
    public static String uniqueEmail() {
        return "ada." + SEQUENCE.incrementAndGet() + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
