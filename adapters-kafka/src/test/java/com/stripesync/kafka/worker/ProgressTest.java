package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final TopicPartition P0 = new TopicPartition("changes", 0);
    private static final TopicPartition P1 = new TopicPartition("changes", 1);

    private final Progress progress = new Progress();

    @Test
    void theOffsetToCommitIsTheOneAfterTheLastDoneRecordWithItsLeaderEpoch() {
        progress.done(record(P0, 4));
        progress.done(record(P0, 5));

        assertThat(progress.uncommitted(List.of(P0, P1)))
                .isEqualTo(Map.of(P0, new OffsetAndMetadata(6, Optional.of(3), "")));
    }

    @Test
    void aCommitThatRecordsOvertookLeavesTheirOffsetToCommit() {
        progress.done(record(P0, 1));
        Map<TopicPartition, OffsetAndMetadata> sent = progress.uncommitted(List.of(P0));
        progress.done(record(P0, 2));

        progress.committed(sent);

        assertThat(progress.uncommitted(List.of(P0))).containsEntry(P0, new OffsetAndMetadata(3, Optional.of(3), ""));
        progress.committed(progress.uncommitted(List.of(P0)));
        assertThat(progress.hasUncommitted()).isFalse();
    }

    @Test
    void failuresCountPerRecordAndStartOverForTheNextOne() {
        assertThat(progress.failed(P0, 7)).isEqualTo(1);
        assertThat(progress.failed(P0, 7)).isEqualTo(2);
        assertThat(progress.failed(P1, 7)).isEqualTo(1);
        progress.done(record(P0, 7));
        assertThat(progress.failed(P0, 8)).isEqualTo(1);
    }

    @Test
    void pausedPartitionsComeDueInTimeAndForgottenOnesNever() {
        progress.pauseUntil(P0, 1_000);
        progress.pauseUntil(P1, 2_000);

        assertThat(progress.nextResumeNanos()).hasValue(1_000);
        assertThat(progress.takeDue(999)).isEmpty();
        assertThat(progress.takeDue(1_000)).containsExactly(P0);
        progress.forget(List.of(P1));
        assertThat(progress.takeDue(5_000)).isEmpty();
        assertThat(progress.nextResumeNanos()).isEmpty();
    }

    @Test
    void backoffDoublesPerFailureUpToItsCap() {
        WorkerTiming timing = WorkerTiming.STANDARD;

        assertThat(List.of(1, 2, 3, 6, 100).stream().map(timing::backoffAfter)).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, 0L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, new byte[0], new byte[0],
                new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.of(3));
    }
}
