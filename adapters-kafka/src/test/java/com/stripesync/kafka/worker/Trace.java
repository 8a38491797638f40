package com.stripesync.kafka.worker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records of the keyed tests ({@code "<key>:<seq>"}, keyed by {@code <key>}) and handlers that trace every call,
 * across all the workers of a test: who handled what, where it was in its topic, when it started and ended, and
 * how many calls ran at once.
 */
final class Trace {

    /** A record as the handlers read it. */
    record Item(String key, int seq, int partition, long offset) {
    }

    /** One call of a handler. */
    record Call(String worker, Item item, long startedNanos, long endedNanos) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    static byte[] value(String key, int seq) {
        return (key + ":" + seq).getBytes(StandardCharsets.UTF_8);
    }

    /** A handler named {@code worker} that answers from {@code script}, which may take its time. */
    RecordHandler<Item> handler(String worker, Function<Item, Verdict> script) {
        return new RecordHandler<>() {
            @Override
            public Item decode(ConsumerRecord<byte[], byte[]> record) {
                String[] parts = new String(record.value(), StandardCharsets.UTF_8).split(":");
                return new Item(parts[0], Integer.parseInt(parts[1]), record.partition(), record.offset());
            }

            @Override
            public String describe(Item item) {
                return "item " + item.key() + "#" + item.seq();
            }

            @Override
            public Verdict handle(Item item) {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                long started = System.nanoTime();
                try {
                    return script.apply(item);
                } finally {
                    running.decrementAndGet();
                    calls.add(new Call(worker, item, started, System.nanoTime()));
                }
            }
        };
    }

    /** The calls ended so far, in the order they started. */
    List<Call> calls() {
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort(Comparator.comparingLong(Call::startedNanos));
        return sorted;
    }

    List<Call> callsOf(String worker) {
        return calls().stream().filter(call -> call.worker().equals(worker)).toList();
    }

    int count() {
        return calls.size();
    }

    /** The most calls that ran at once. */
    int peak() {
        return peak.get();
    }

    /** Each key's calls in the order they started. */
    Map<String, List<Call>> byKey() {
        return calls().stream().collect(Collectors.groupingBy(call -> call.item().key(), TreeMap::new, Collectors.toList()));
    }

    /** The most of these calls that overlapped in time. */
    static int mostAtOnce(List<Call> calls) {
        List<long[]> edges = new ArrayList<>();
        calls.forEach(call -> {
            edges.add(new long[] {call.startedNanos(), 1});
            edges.add(new long[] {call.endedNanos(), -1});
        });
        // At equal times an end comes first: touching calls did not overlap.
        edges.sort(Comparator.<long[]>comparingLong(edge -> edge[0]).thenComparingLong(edge -> edge[1]));
        int now = 0;
        int most = 0;
        for (long[] edge : edges) {
            now += (int) edge[1];
            most = Math.max(most, now);
        }
        return most;
    }
}
