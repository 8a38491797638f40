package com.stripesync.kafka.topic;

import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import java.util.Objects;

/**
 * The names the sync uses in Kafka, all derived from {@link KafkaSettings#topicPrefix()} ({@code P} below,
 * {@code "stripe-sync."} by default):
 * <ul>
 *   <li>{@code P + "customer-changes"}: every recorded catalog change, keyed by customer id
 *       ({@code stripe-sync.customer-changes});</li>
 *   <li>{@code P + "customer-changes.dlt." + system}: the changes one system's worker gave up on, a refused
 *       change or an undecodable record ({@code stripe-sync.customer-changes.dlt.stripe});</li>
 *   <li>{@code P + "sync." + system}: the consumer group of that system's workers
 *       ({@code stripe-sync.sync.stripe}). Each system reads every change, in a group of its own;</li>
 *   <li>{@code P + "inbound." + system}: that system's verified webhook events, waiting to be applied to
 *       the catalog, keyed by the external customer id (else the event id), value = the exact payload
 *       ({@code stripe-sync.inbound.stripe});</li>
 *   <li>{@code P + "inbound." + system + ".dlt"}: the events of that system the catalog can never apply
 *       ({@code stripe-sync.inbound.stripe.dlt});</li>
 *   <li>{@code P + "apply." + system}: the consumer group of the workers applying that system's events
 *       ({@code stripe-sync.apply.stripe}).</li>
 * </ul>
 *
 * @param changes the topic of customer changes
 * @param prefix  the prefix every name starts with
 */
public record SyncTopics(String changes, String prefix) {

    static final String CHANGES = "customer-changes";

    public SyncTopics {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(prefix, "prefix");
        if (!changes.startsWith(prefix) || changes.length() == prefix.length()) {
            throw new IllegalArgumentException("the changes topic '" + changes + "' must start with the prefix '" + prefix + "'");
        }
    }

    public static SyncTopics of(KafkaSettings settings) {
        return new SyncTopics(settings.topicPrefix() + CHANGES, settings.topicPrefix());
    }

    /** The dead-letter topic of {@code system}'s worker. */
    public String deadLetter(SystemName system) {
        return changes + ".dlt." + system.value();
    }

    /** The consumer group of {@code system}'s workers. */
    public String workerGroup(SystemName system) {
        return prefix + "sync." + system.value();
    }

    /** The topic of {@code system}'s verified webhook events, on their way to the catalog. */
    public String inbound(SystemName system) {
        return prefix + "inbound." + system.value();
    }

    /** The dead-letter topic of {@code system}'s inbound events. */
    public String inboundDeadLetter(SystemName system) {
        return inbound(system) + ".dlt";
    }

    /** The consumer group of the workers applying {@code system}'s inbound events. */
    public String inboundGroup(SystemName system) {
        return prefix + "apply." + system.value();
    }
}
