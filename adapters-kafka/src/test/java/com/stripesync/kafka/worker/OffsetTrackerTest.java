package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final Optional<Integer> EPOCH = Optional.of(3);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingIsCommittableUntilTheFirstReceivedRecordIsDone() {
        receive(0, 1, 2);
        tracker.done(1);
        tracker.done(2);

        assertThat(tracker.committable()).isEmpty();
    }

    @Test
    void outOfOrderCompletionsCommitOnlyTheContiguousDonePrefix() {
        receive(0, 1, 2, 3, 4);

        tracker.done(2);
        tracker.done(4);
        tracker.done(1);
        assertThat(tracker.committable()).as("0 is not done").isEmpty();
        tracker.done(0);
        assertThat(committableOffset()).as("0, 1, 2 done; 3 is not").hasValue(3L);
        tracker.done(3);
        assertThat(committableOffset()).hasValue(5L);
        assertThat(tracker.unsettled()).isZero();
    }

    @Test
    void gapsBetweenOffsetsDoNotHoldTheCommit() {
        // Compaction or transaction markers: offsets 12-14 and 16-19 never come.
        receive(10, 11, 15, 20);

        tracker.done(10);
        tracker.done(11);
        assertThat(committableOffset()).hasValue(12L);
        tracker.done(20);
        assertThat(committableOffset()).as("15 is not done").hasValue(12L);
        tracker.done(15);
        assertThat(committableOffset()).hasValue(21L);
    }

    @Test
    void theCommittableOffsetCarriesTheLeaderEpochOfTheLastDoneRecord() {
        tracker.received(7, Optional.of(2));
        tracker.received(8, Optional.of(5));
        tracker.done(7);
        assertThat(tracker.committable()).hasValue(new OffsetAndMetadata(8, Optional.of(2), ""));
        tracker.done(8);
        assertThat(tracker.committable()).hasValue(new OffsetAndMetadata(9, Optional.of(5), ""));
    }

    @Test
    void aRecordReceivedAgainIsRefusedAndChangesNothing() {
        receive(5, 6);

        assertThat(tracker.received(6, EPOCH)).isFalse();
        assertThat(tracker.received(5, EPOCH)).isFalse();
        assertThat(tracker.received(4, EPOCH)).as("below the first one received").isFalse();
        assertThat(tracker.unsettled()).isEqualTo(2);
        tracker.done(5);
        tracker.done(6);
        assertThat(committableOffset()).hasValue(7L);
    }

    @Test
    void aRecordDoneTwiceOrNeverReceivedChangesNothing() {
        receive(0, 1);
        assertThat(tracker.done(0)).isTrue();

        assertThat(tracker.done(0)).isFalse();
        assertThat(tracker.done(9)).isFalse();
        assertThat(committableOffset()).hasValue(1L);
        assertThat(tracker.done(1)).isTrue();
        assertThat(tracker.done(1)).isFalse();
        assertThat(committableOffset()).hasValue(2L);
    }

    @Test
    void theOldestRecordNotDoneHoldsBackEveryRecordReceivedAfterIt() {
        receive(LongStream.range(100, 110).toArray());
        LongStream.range(101, 110).forEach(tracker::done);

        assertThat(tracker.unsettled()).isEqualTo(10);
        assertThat(tracker.committable()).isEmpty();
        tracker.done(100);
        assertThat(tracker.unsettled()).isZero();
        assertThat(committableOffset()).hasValue(110L);
    }

    private void receive(long... offsets) {
        for (long offset : offsets) {
            assertThat(tracker.received(offset, EPOCH)).isTrue();
        }
    }

    private Optional<Long> committableOffset() {
        return tracker.committable().map(OffsetAndMetadata::offset);
    }
}
