package com.stripesync.bootstrap.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripesync.application.sync.RelayChanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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
    void aBatchInterruptedByCloseIsNotReportedAsAFailure() {
        CountDownLatch sending = new CountDownLatch(1);
        RelayChanges relay = () -> {
            sending.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                // What Kafka's producer does when its caller is interrupted.
                throw new IllegalStateException("Kafka did not take change 1: " + e);
            }
            return 1;
        };
        List<LogRecord> warnings = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (warnings) {
                        warnings.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(RelayLoop.class.getName());
        logger.addHandler(handler);
        try {
            try (RelayLoop loop = RelayLoop.start(relay, SHORT, Duration.ofSeconds(1))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> sending.getCount() == 0);
            }
        } finally {
            logger.removeHandler(handler);
        }

        synchronized (warnings) {
            assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
        }
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
