package com.stripesync.kafka.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.stripesync.domain.link.SystemName;
import com.stripesync.kafka.KafkaSettings;
import org.junit.jupiter.api.Test;

class SyncTopicsTest {

    private static final SystemName STRIPE = new SystemName("stripe");

    @Test
    void namesAreTheDocumentedOnesUnderTheDefaultPrefix() {
        SyncTopics topics = SyncTopics.of(KafkaSettings.of("kafka:9092", "pod-7"));

        assertThat(topics.changes()).isEqualTo("stripe-sync.customer-changes");
        assertThat(topics.deadLetter(STRIPE)).isEqualTo("stripe-sync.customer-changes.dlt.stripe");
        assertThat(topics.workerGroup(STRIPE)).isEqualTo("stripe-sync.sync.stripe");
        assertThat(topics.workerGroup(new SystemName("salesforce"))).isEqualTo("stripe-sync.sync.salesforce");
    }

    @Test
    void inboundNamesAreTheDocumentedOnesUnderTheDefaultPrefix() {
        SyncTopics topics = SyncTopics.of(KafkaSettings.of("kafka:9092", "pod-7"));

        assertThat(topics.inbound(STRIPE)).isEqualTo("stripe-sync.inbound.stripe");
        assertThat(topics.inboundDeadLetter(STRIPE)).isEqualTo("stripe-sync.inbound.stripe.dlt");
        assertThat(topics.inboundGroup(STRIPE)).isEqualTo("stripe-sync.apply.stripe");
        assertThat(topics.inbound(new SystemName("salesforce"))).isEqualTo("stripe-sync.inbound.salesforce");
    }

    @Test
    void everyNameStartsWithTheConfiguredPrefix() {
        SyncTopics topics = SyncTopics.of(KafkaSettings.of("kafka:9092", "pod-7").withTopicPrefix("staging-"));

        assertThat(topics.changes()).isEqualTo("staging-customer-changes");
        assertThat(topics.deadLetter(STRIPE)).isEqualTo("staging-customer-changes.dlt.stripe");
        assertThat(topics.workerGroup(STRIPE)).isEqualTo("staging-sync.stripe");
        assertThat(topics.inbound(STRIPE)).isEqualTo("staging-inbound.stripe");
        assertThat(topics.inboundDeadLetter(STRIPE)).isEqualTo("staging-inbound.stripe.dlt");
        assertThat(topics.inboundGroup(STRIPE)).isEqualTo("staging-apply.stripe");
    }

    @Test
    void theLongestNameFitsKafkasLimit() {
        String prefix = "p".repeat(196);
        SyncTopics topics = SyncTopics.of(KafkaSettings.of("kafka:9092", "pod-7").withTopicPrefix(prefix));

        SystemName longest = new SystemName("s".repeat(32));

        assertThat(topics.deadLetter(longest)).hasSizeLessThanOrEqualTo(249);
        assertThat(topics.inboundDeadLetter(longest)).hasSizeLessThanOrEqualTo(249);
    }

    @Test
    void refusesAChangesTopicOutsideItsPrefix() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SyncTopics("other.customer-changes", "stripe-sync."));
    }
}
