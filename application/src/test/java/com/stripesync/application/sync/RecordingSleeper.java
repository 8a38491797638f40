package com.stripesync.application.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Notes each wait and moves the clock on by it instead of sleeping, so budgets run out as they would. */
final class RecordingSleeper implements Sleeper {

    private final SettableClock clock;
    private final List<Duration> delays = new ArrayList<>();
    private boolean interruptNext;

    RecordingSleeper(SettableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (interruptNext) {
            interruptNext = false;
            throw new InterruptedException("stopping (simulated)");
        }
        delays.add(duration);
        clock.advance(duration);
    }

    /** The next wait is interrupted, as when the worker is being stopped. */
    void interruptNextSleep() {
        interruptNext = true;
    }

    List<Duration> delays() {
        return List.copyOf(delays);
    }

    Duration total() {
        return delays.stream().reduce(Duration.ZERO, Duration::plus);
    }

    void forget() {
        delays.clear();
    }
}
