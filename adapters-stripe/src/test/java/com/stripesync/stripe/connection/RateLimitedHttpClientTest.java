package com.stripesync.stripe.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The budget's configuration, played through resilience4j itself on a clock the test moves: the worst
 * case for a per-second limit is a pause, a request at the very end of a cycle, then a crowd.
 */
class RateLimitedHttpClientTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 10, 25, 100, 1_000})
    void noSecondAfterAPauseSeesMoreThanTheLimitWhereverThePauseEnds(int perSecond) {
        long cycle = RateLimitedHttpClient.cycle(perSecond).toNanos();

        for (long offset : new long[] {0, 1, cycle / 2, cycle - 1_000_000, cycle - 1}) {
            List<Long> grants = pauseThenCrowd(RateLimitedHttpClient.config(perSecond, Duration.ofMinutes(1)),
                    3 * cycle + offset, 3 * perSecond);

            assertThat(mostInAnySecond(grants)).as("offset %d ns into a cycle", offset).isLessThanOrEqualTo(perSecond);
        }
    }

    @Test
    void aFullSecondsWorthPerCycleWouldLetTwiceTheLimitIntoOneSecond() {
        RateLimiterConfig naive = RateLimiterConfig.custom().limitForPeriod(25).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofMinutes(1)).build();

        List<Long> grants = pauseThenCrowd(naive, 3 * SECOND + SECOND - 1, 75);

        assertThat(mostInAnySecond(grants)).isEqualTo(50);
    }

    @Test
    void oneEveryJustOverOneNthOfASecondWouldLetOneMoreIntoASecondAfterAPause() {
        Duration justOver = Duration.ofNanos(SECOND / 25 + SECOND / 2_500);
        RateLimiterConfig oneNth = RateLimiterConfig.custom().limitForPeriod(1).limitRefreshPeriod(justOver)
                .timeoutDuration(Duration.ofMinutes(1)).build();

        List<Long> grants = pauseThenCrowd(oneNth, 4 * justOver.toNanos() - 1, 75);

        assertThat(mostInAnySecond(grants)).isEqualTo(26);
    }

    @Test
    void sustainedRateIsAtLeastNinetyFivePercentOfStripesLimits() {
        assertThat(sustainedPerSecond(25)).isGreaterThanOrEqualTo(0.95 * 25).isLessThan(25);
        assertThat(sustainedPerSecond(100)).isGreaterThanOrEqualTo(0.98 * 100).isLessThan(100);
    }

    @Test
    void crowdIsServedOnePerCycle() {
        long cycle = RateLimitedHttpClient.cycle(25).toNanos();

        List<Long> grants = pauseThenCrowd(RateLimitedHttpClient.config(25, Duration.ofMinutes(1)), 3 * cycle + 7, 50);

        for (int i = 2; i < grants.size(); i++) {
            assertThat(grants.get(i) - grants.get(i - 1)).isEqualTo(cycle);
        }
    }

    @Test
    void permitFurtherAwayThanTheWaitBoundIsRefusedWithoutReservingIt() {
        AtomicLong now = new AtomicLong(SECOND);
        RateLimiter limiter = RateLimiter.of("test", RateLimitedHttpClient.config(25, Duration.ofMillis(100)), now::get);
        long cycle = RateLimitedHttpClient.cycle(25).toNanos();

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(limiter.reservePermission());
        }

        // 0, then the next two cycles (42 ms and 84 ms away) fit within 100 ms; the fourth would wait 126 ms.
        assertThat(waits).containsExactly(0L, cycle, 2 * cycle, -1L, -1L);
    }

    /** The grant times (ns) of one request {@code pause} ns after the limiter was made, and a crowd behind it. */
    private static List<Long> pauseThenCrowd(RateLimiterConfig config, long pause, int crowd) {
        AtomicLong now = new AtomicLong(SECOND);
        RateLimiter limiter = RateLimiter.of("test", config, now::get);
        now.addAndGet(pause);
        List<Long> grants = new ArrayList<>();
        grants.add(now.get() + limiter.reservePermission());
        for (int i = 0; i < crowd; i++) {
            long wait = limiter.reservePermission();
            assertThat(wait).isNotNegative();
            grants.add(now.get() + wait);
        }
        return grants;
    }

    private static int mostInAnySecond(List<Long> grants) {
        List<Long> sorted = grants.stream().sorted().toList();
        int most = 0;
        for (int first = 0, last = 0; first < sorted.size(); first++) {
            while (last < sorted.size() && sorted.get(last) < sorted.get(first) + SECOND) {
                last++;
            }
            most = Math.max(most, last - first);
        }
        return most;
    }

    private static double sustainedPerSecond(int perSecond) {
        return (double) SECOND / RateLimitedHttpClient.cycle(perSecond).toNanos();
    }
}
