package com.stripesync.application.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Notes each wait and moves the clock on by it instead of sleeping, so budgets run out as they would. */
public final class RecordingSleeper implements Sleeper {

    private final SettableClock clock;
    private final List<Duration> delays = new ArrayList<>();
    private boolean interruptNext;

    public RecordingSleeper(SettableClock clock) {
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
    public void interruptNextSleep() {
        interruptNext = true;
    }

    public List<Duration> delays() {
        return List.copyOf(delays);
    }

    public Duration total() {
        return delays.stream().reduce(Duration.ZERO, Duration::plus);
    }

    public void forget() {
        delays.clear();
    }
}
