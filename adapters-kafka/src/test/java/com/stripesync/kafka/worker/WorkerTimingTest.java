package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerTimingTest {

    @Test
    void backoffDoublesPerFailureUpToItsCap() {
        WorkerTiming timing = WorkerTiming.STANDARD;

        assertThat(List.of(1, 2, 3, 6, 100).stream().map(timing::backoffAfter)).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void aRevocationMustStayWellWithinTheMaxPollInterval() {
        assertThatThrownBy(() -> WorkerTiming.STANDARD.withRevocationGrace(Duration.ofMinutes(3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrencyIsAtLeastOneRecordAndBounded() {
        assertThat(WorkerConcurrency.DEFAULT.maxInFlight()).isEqualTo(64);
        assertThatThrownBy(() -> new WorkerConcurrency(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerConcurrency(WorkerConcurrency.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
