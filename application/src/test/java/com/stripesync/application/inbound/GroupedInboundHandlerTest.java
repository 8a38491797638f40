package com.stripesync.application.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class GroupedInboundHandlerTest {

    /** Records each batch, answers each payload with an outcome naming it; the first batch waits for a signal. */
    private static final class RecordingBatches implements HandleInboundEvents {
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);

        @Override
        public List<InboundOutcome> handleAll(List<byte[]> payloads) {
            List<String> names = payloads.stream().map(payload -> new String(payload, StandardCharsets.UTF_8)).toList();
            batches.add(names);
            if (batches.size() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
            return names.stream().<InboundOutcome>map(name -> new InboundOutcome.Applied(name)).toList();
        }
    }

    @Test
    void aLoneEventIsAppliedAtOnceInABatchOfItsOwn() {
        RecordingBatches batches = new RecordingBatches();
        batches.releaseFirst.countDown();
        GroupedInboundHandler handler = new GroupedInboundHandler(batches, 10);

        assertThat(handler.handle(bytes("a"))).isEqualTo(new InboundOutcome.Applied("a"));
        assertThat(batches.batches).containsExactly(List.of("a"));
    }

    @Test
    void eventsHandedInWhileABatchIsAppliedGoTogetherIntoTheNextAndEachCallerGetsItsOwnOutcome() throws Exception {
        RecordingBatches batches = new RecordingBatches();
        GroupedInboundHandler handler = new GroupedInboundHandler(batches, 3);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<InboundOutcome> first = callers.submit(() -> handler.handle(bytes("first")));
            await(batches.firstStarted);
            List<Future<InboundOutcome>> later = new ArrayList<>();
            for (String name : List.of("b", "c", "d", "e", "f")) {
                later.add(callers.submit(() -> handler.handle(bytes(name))));
            }
            Awaitility.await().until(() -> handler.queuedEvents() == 5);
            batches.releaseFirst.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new InboundOutcome.Applied("first"));
            List<String> outcomes = new ArrayList<>();
            for (Future<InboundOutcome> outcome : later) {
                outcomes.add(((InboundOutcome.Applied) outcome.get(10, TimeUnit.SECONDS)).what());
            }
            assertThat(outcomes).containsExactlyInAnyOrder("b", "c", "d", "e", "f");
        }
        assertThat(batches.batches.getFirst()).containsExactly("first");
        assertThat(batches.batches.subList(1, batches.batches.size())).hasSize(2)
                .allSatisfy(batch -> assertThat(batch.size()).isBetween(2, 3))
                .flatExtracting(batch -> batch).containsExactlyInAnyOrder("b", "c", "d", "e", "f");
    }

    @Test
    void withTwoBatchesAtOnceALaterBatchCommitsWhileAnEarlierOneIsStillBeingApplied() throws Exception {
        RecordingBatches batches = new RecordingBatches();
        GroupedInboundHandler handler = new GroupedInboundHandler(batches, 10, 2);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<InboundOutcome> first = callers.submit(() -> handler.handle(bytes("first")));
            await(batches.firstStarted);

            Future<InboundOutcome> second = callers.submit(() -> handler.handle(bytes("second")));

            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new InboundOutcome.Applied("second"));
            assertThat(first).isNotDone();
            batches.releaseFirst.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new InboundOutcome.Applied("first"));
        }
        assertThat(batches.batches).containsExactly(List.of("first"), List.of("second"));
    }

    @Test
    void atLeastOneBatchAtATime() {
        assertThatThrownBy(() -> new GroupedInboundHandler(payloads -> List.of(), 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrentBatches");
    }

    @Test
    void aBatchThatThrowsFailsEachOfItsCallersAndTheNextBatchGoesOn() {
        List<Integer> calls = new ArrayList<>();
        GroupedInboundHandler handler = new GroupedInboundHandler(payloads -> {
            calls.add(payloads.size());
            if (calls.size() == 1) {
                throw new IllegalStateException("broken batch");
            }
            return List.of(new InboundOutcome.Ignored("fine"));
        }, 10);

        assertThatThrownBy(() -> handler.handle(bytes("a"))).isInstanceOf(IllegalStateException.class).hasMessage("broken batch");
        assertThat(handler.handle(bytes("b"))).isEqualTo(new InboundOutcome.Ignored("fine"));
    }

    @Test
    void aBatchThatThrowsIsAppliedAgainEventByEventSoOnlyTheFailingEventsCallerFails() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<String>> applied = Collections.synchronizedList(new ArrayList<>());
        GroupedInboundHandler handler = new GroupedInboundHandler(payloads -> {
            List<String> names = payloads.stream().map(payload -> new String(payload, StandardCharsets.UTF_8)).toList();
            applied.add(names);
            if (applied.size() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
            if (names.contains("poison")) {
                throw new IllegalStateException("cannot apply poison");
            }
            return names.stream().<InboundOutcome>map(InboundOutcome.Applied::new).toList();
        }, 10);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<InboundOutcome> first = callers.submit(() -> handler.handle(bytes("first")));
            await(firstStarted);
            Future<InboundOutcome> good = callers.submit(() -> handler.handle(bytes("good")));
            Awaitility.await().until(() -> handler.queuedEvents() == 1);
            Future<InboundOutcome> poison = callers.submit(() -> handler.handle(bytes("poison")));
            Awaitility.await().until(() -> handler.queuedEvents() == 2);
            releaseFirst.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new InboundOutcome.Applied("first"));
            assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(new InboundOutcome.Applied("good"));
            assertThatThrownBy(() -> poison.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                    .cause().hasMessage("cannot apply poison");
        }
        assertThat(applied).containsExactly(List.of("first"), List.of("good", "poison"), List.of("good"), List.of("poison"));
    }

    @Test
    void aBatchHandlerThatAnswersTooFewOutcomesFailsItsCallers() {
        GroupedInboundHandler handler = new GroupedInboundHandler(payloads -> List.of(), 10);

        assertThatThrownBy(() -> handler.handle(bytes("a"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0 outcomes for 1 events");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
