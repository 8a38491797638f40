package com.stripesync.bootstrap.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.application.sync.RelayChanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RelayLoopTest {

    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void anIdleRelayNapsLongerWithEachEmptyLookUpToAQuarterOfASecond() {
        List<Duration> naps = new ArrayList<>();
        Duration nap = SHORT;
        for (int i = 0; i < 6; i++) {
            naps.add(nap);
            nap = RelayLoop.nextIdlePause(nap, SHORT);
        }

        assertThat(naps).containsExactly(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
                Duration.ofMillis(160), Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void whileThereIsWorkTheRelayGoesOnWithoutNappingAndAfterItLooksAgainSoon() {
        AtomicInteger looks = new AtomicInteger();
        List<Long> emptyLookTimes = new ArrayList<>();
        RelayChanges relay = () -> {
            int look = looks.incrementAndGet();
            if (look <= 100) {
                return 1;
            }
            synchronized (emptyLookTimes) {
                emptyLookTimes.add(System.nanoTime());
            }
            return 0;
        };

        try (RelayLoop loop = RelayLoop.start(relay, SHORT, Duration.ofSeconds(1))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                synchronized (emptyLookTimes) {
                    return emptyLookTimes.size() >= 5;
                }
            });
        }

        synchronized (emptyLookTimes) {
            long firstGap = emptyLookTimes.get(1) - emptyLookTimes.get(0);
            long fourthGap = emptyLookTimes.get(4) - emptyLookTimes.get(3);
            assertThat(Duration.ofNanos(fourthGap)).as("naps grow while idle (20 ms, then 160 ms)")
                    .isGreaterThan(Duration.ofNanos(firstGap));
            assertThat(Duration.ofNanos(firstGap)).isLessThan(RelayLoop.MAX_IDLE_PAUSE);
        }
    }
}
