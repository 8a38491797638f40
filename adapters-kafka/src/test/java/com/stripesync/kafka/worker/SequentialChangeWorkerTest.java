package com.stripesync.kafka.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link ChangeWorkerTest} again with one change in flight: the worker then handles one change at
 * a time, in the order polled, as it did before changes of different customers ran concurrently.
 */
class SequentialChangeWorkerTest extends ChangeWorkerTest {

    @Override
    WorkerConcurrency concurrency() {
        return WorkerConcurrency.SEQUENTIAL;
    }

    /**
     * The one difference to a worker without lanes: a change waiting for its retry keeps the only place, so the
     * whole worker waits (that worker paused the change's partition and went on with the others).
     */
    @Test
    @Override
    void aDeferredChangeIsRetriedAfterItsDelayAndNothingLaterOfItsCustomerOvertakesIt() {
        Deferral deferral = deferOnce();

        await().atMost(WAIT).until(() -> deferral.sync().count() >= 7);
        List<Long> ids = deferral.sync().ids();
        Set<Long> otherPartition = Set.of(deferral.b1().id().value(), deferral.b2().id().value());
        assertThat(ids.stream().filter(id -> !otherPartition.contains(id)))
                .as("partition 0, in order of calls")
                .containsExactly(deferral.a1().id().value(), deferral.a2().id().value(), deferral.a2().id().value(),
                        deferral.c1().id().value(), deferral.a3().id().value());
        assertThat(deferral.waited()).isGreaterThanOrEqualTo(deferral.delay());
        assertThat(ids.lastIndexOf(deferral.a2().id().value()) - ids.indexOf(deferral.a2().id().value()))
                .as("calls from the first try to the retry: nothing in between").isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedTotal()).isEqualTo(6));
    }
}
