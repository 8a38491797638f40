package com.stripesync.testing.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The per-second limit counts arrivals by calendar second, like Stripe's limiter. */
class FaultsPerSecondLimitTest {

    private static final Instant SECOND = Instant.parse("2026-11-27T10:00:00Z");

    private final Faults faults = new Faults();

    @Test
    void withoutALimitEveryRequestIsAdmitted() {
        assertThat(admitted(100, SECOND)).isEqualTo(100);
    }

    @Test
    void admitsTheFirstRequestsOfASecondUpToTheLimitAndRejectsTheRest() {
        faults.limitPerSecond(3);

        List<Boolean> answers = IntStream.range(0, 5)
                .mapToObj(i -> faults.admitWithinSecondLimit(SECOND.plusMillis(100L * i)))
                .toList();

        assertThat(answers).containsExactly(true, true, true, false, false);
    }

    @Test
    void theNextCalendarSecondStartsAfreshHoweverCloseTheRequests() {
        faults.limitPerSecond(2);
        admitted(2, SECOND.plusMillis(999));

        assertThat(faults.admitWithinSecondLimit(SECOND.plusMillis(999))).isFalse();
        assertThat(admitted(3, SECOND.plusMillis(1_000))).isEqualTo(2);
    }

    @Test
    void aRequestFromTheSecondBeforeThatComesInLateCountsInItsOwnSecond() {
        faults.limitPerSecond(1);
        faults.admitWithinSecondLimit(SECOND.plusMillis(999));
        faults.admitWithinSecondLimit(SECOND.plusMillis(1_001));

        assertThat(faults.admitWithinSecondLimit(SECOND.plusMillis(999))).isFalse();
        assertThat(faults.admitWithinSecondLimit(SECOND.plusMillis(1_500))).isFalse();
        assertThat(faults.admitWithinSecondLimit(SECOND.plusMillis(2_000))).isTrue();
    }

    @Test
    void clearRemovesTheLimit() {
        faults.limitPerSecond(1);
        faults.clear();

        assertThat(admitted(10, SECOND)).isEqualTo(10);
    }

    @Test
    void aNewLimitReplacesTheOldOne() {
        faults.limitPerSecond(1);
        faults.admitWithinSecondLimit(SECOND);
        faults.limitPerSecond(3);

        assertThat(admitted(5, SECOND)).isEqualTo(3);
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> faults.limitPerSecond(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private long admitted(int requests, Instant at) {
        return IntStream.range(0, requests).filter(i -> faults.admitWithinSecondLimit(at)).count();
    }
}
