package com.stripesync.kafka.testkit;

import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.sync.CustomerDetails;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;

/** Customer changes for tests, numbered from 1 per instance, as the outbox numbers them. */
public final class Changes {

    private static final Instant EPOCH = Instant.parse("2026-11-27T08:00:00.123456789Z");

    private final AtomicLong nextId = new AtomicLong(1);

    /** The next change of {@code customer}, at {@code version} (a creation at version 1). */
    public CustomerChange next(CustomerId customer, long version) {
        long id = nextId.getAndIncrement();
        return new CustomerChange(new ChangeId(id), customer, new Version(version),
                version == 1 ? ChangeKind.CREATED : ChangeKind.UPDATED,
                new CustomerDetails(customer, new CustomerName("Customer " + id), new Email("customer" + id + "@example.com")),
                ChangeOrigin.LOCAL, EPOCH.plusSeconds(id));
    }

    /** A customer whose changes the default partitioner puts in {@code partition} of {@code partitions}. */
    public static CustomerId customerInPartition(int partition, int partitions) {
        while (true) {
            CustomerId candidate = CustomerId.generate();
            if (partitionOf(candidate, partitions) == partition) {
                return candidate;
            }
        }
    }

    /** Where Kafka's default partitioner puts a record keyed by this customer's id. */
    public static int partitionOf(CustomerId customer, int partitions) {
        return Utils.toPositive(Utils.murmur2(customer.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public static CustomerId customer(String uuid) {
        return new CustomerId(UUID.fromString(uuid));
    }
}
