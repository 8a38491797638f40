package com.stripesync.application.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    private static final RetryPolicy STANDARD = RetryPolicy.standard();

    @Test
    void standardPolicyStartsAtHalfASecondCapsAtFiveAndGivesUpAfterAMinute() {
        assertThat(STANDARD.initial()).isEqualTo(Duration.ofMillis(500));
        assertThat(STANDARD.max()).isEqualTo(Duration.ofSeconds(5));
        assertThat(STANDARD.budget()).isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "after {0} failures: {1} ms to {2} ms")
    @CsvSource({
            "1, 250, 500",
            "2, 500, 1000",
            "3, 1000, 2000",
            "4, 2000, 4000",
            "5, 2500, 5000",
            "6, 2500, 5000",
            "30, 2500, 5000",
            "1000, 2500, 5000",
            "2147483647, 2500, 5000"})
    void eachStepDoublesUpToTheCapAndIsJitteredBetweenHalfAndAllOfIt(int failures, long shortest, long longest) {
        assertThat(withRandom(0).delayAfter(failures, Optional.empty())).isEqualTo(Duration.ofMillis(shortest));
        assertThat(withRandom(1).delayAfter(failures, Optional.empty())).isEqualTo(Duration.ofMillis(longest));
        assertThat(withRandom(0.5).delayAfter(failures, Optional.empty()))
                .isEqualTo(Duration.ofMillis((shortest + longest) / 2));
    }

    @Test
    void theStandardJitterSpreadsDelaysOverTheWholeRange() {
        Set<Duration> drawn = new HashSet<>();
        IntStream.range(0, 200).forEach(i -> drawn.add(STANDARD.delayAfter(3, Optional.empty())));

        assertThat(drawn).allSatisfy(delay -> assertThat(delay).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        assertThat(drawn).hasSizeGreaterThan(10);
    }

    @Test
    void aLongerRetryAfterThanTheBackoffIsWaitedInFull() {
        Duration asked = Duration.ofSeconds(30);

        assertThat(withRandom(1).delayAfter(1, Optional.of(asked))).isEqualTo(asked);
        assertThat(withRandom(1).delayAfter(10, Optional.of(asked))).isEqualTo(asked);
    }

    @Test
    void aShorterRetryAfterThanTheBackoffLeavesTheBackoff() {
        assertThat(withRandom(1).delayAfter(3, Optional.of(Duration.ofMillis(100)))).isEqualTo(Duration.ofSeconds(2));
        assertThat(withRandom(0).delayAfter(1, Optional.of(Duration.ZERO))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aTinyStepStillWaitsAMillisecond() {
        RetryPolicy tiny = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1), () -> 0);

        assertThat(tiny.delayAfter(1, Optional.empty())).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aPolicyThatWouldHammerTheSystemOrNeverWaitIsRefused() {
        Duration second = Duration.ofSeconds(1);

        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, second, second, Math::random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofNanos(1000), second, second, Math::random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(second, Duration.ofMillis(500), second, Math::random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(second, second, Duration.ofSeconds(-1), Math::random))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RetryPolicy withRandom(double random) {
        return new RetryPolicy(STANDARD.initial(), STANDARD.max(), STANDARD.budget(), () -> random);
    }
}
