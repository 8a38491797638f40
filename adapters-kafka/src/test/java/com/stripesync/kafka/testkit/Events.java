package com.stripesync.kafka.testkit;

import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.link.ExternalId;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;

/**
 * Verified webhook events for tests, numbered from 1 per instance ({@code evt_1}, {@code evt_2}, ...). Each
 * payload is Stripe-like JSON that carries a customer's email, so tests can check it never reaches a log.
 */
public final class Events {

    private final AtomicLong nextId = new AtomicLong(1);

    /** The next {@code customer.updated} event about {@code customer}. */
    public VerifiedEvent about(String customer) {
        long id = nextId.getAndIncrement();
        String payload = "{\"id\":\"evt_" + id + "\",\"type\":\"customer.updated\",\"data\":{\"object\":{\"id\":\"" + customer
                + "\",\"email\":\"" + email(id) + "\",\"name\":\"Customer " + id + "\"}}}";
        return new VerifiedEvent(new EventId("evt_" + id), "customer.updated", new ExternalId(customer), true,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The next event about no particular customer. */
    public VerifiedEvent aboutNoCustomer() {
        long id = nextId.getAndIncrement();
        String payload = "{\"id\":\"evt_" + id + "\",\"type\":\"customer.discount.created\",\"contact\":\"" + email(id) + "\"}";
        return new VerifiedEvent(new EventId("evt_" + id), "customer.discount.created", null, true,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The email in event {@code id}'s payload. */
    public static String email(long id) {
        return "customer" + id + "@example.com";
    }

    /** A new Stripe-like customer id ({@code cus_...}). */
    public static String customer() {
        return "cus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }

    /** A customer whose events the default partitioner puts in {@code partition} of {@code partitions}. */
    public static String customerInPartition(int partition, int partitions) {
        while (true) {
            String candidate = customer();
            if (partitionOf(candidate, partitions) == partition) {
                return candidate;
            }
        }
    }

    /** Where Kafka's default partitioner puts a record with this key. */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
