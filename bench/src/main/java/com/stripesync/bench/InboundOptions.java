package com.stripesync.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the inbound benchmark measures, from its {@code --name value} arguments ({@link Arguments}).
 *
 * @param concurrency    sender threads, one series each
 * @param events         events per run: half {@code customer.created}, half {@code customer.updated}
 * @param runs           runs per concurrency
 * @param warmupEvents   events of other customers sent (and applied) before each run, not measured
 * @param settle         a pause after the warm-up, before the measured events (say 70 s: autovacuum then has
 *                       analyzed the tables the warm-up filled, and the service's cached query plans are redone)
 * @param timeout        the longest wait for a run's events to be applied
 * @param acceptOnly     run the service without a Stripe key: its inbound worker does not start, so only the
 *                       webhook endpoint is measured (nothing is applied, no end-to-end figure)
 * @param jar            the packaged service
 * @param serviceJvmArgs options for the service's JVM
 * @param workDir        where service logs are kept (and data directories made, then deleted)
 */
record InboundOptions(List<Integer> concurrency, int events, int runs, int warmupEvents, Duration settle,
                      Duration timeout, boolean acceptOnly, Path jar, List<String> serviceJvmArgs, Path workDir) {

    static final String USAGE = """
            java -jar bench/target/stripe-sync-bench.jar inbound [options]   (from the repository root, after packaging)
              --concurrency 1,8,32     sender threads (closed loop), one series each
              --events 20000           signed events per run: half customer.created, half customer.updated
              --runs 3                 runs per concurrency, each with a fresh service
              --warmup-events 10000    events of other customers sent and applied first, not measured (0: none)
              --settle 0               seconds to pause after the warm-up (70: PostgreSQL has analyzed the tables)
              --timeout 600            seconds to wait at most for a run's events to be applied
              --accept-only            no Stripe key: measure the webhook endpoint alone (nothing is applied)
              --jar bootstrap/target/stripe-sync.jar
              --service-jvm-args "-Xmx512m -XX:+UseParallelGC"
              --work-dir <temp dir>    service logs are kept there
            """;

    InboundOptions {
        concurrency = List.copyOf(concurrency);
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(threads -> threads < 1 || threads > 1_000)) {
            throw new IllegalArgumentException("--concurrency needs whole numbers from 1 to 1000");
        }
        if (events < 2 || events % 2 != 0 || warmupEvents < 0 || warmupEvents % 2 != 0) {
            throw new IllegalArgumentException("--events needs an even number of at least 2, --warmup-events an even "
                    + "number of at least 0 (each customer has a create and an update)");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs needs at least 1");
        }
        if (timeout.toSeconds() < 1 || settle.isNegative()) {
            throw new IllegalArgumentException("--timeout needs at least 1 s, --settle at least 0");
        }
    }

    static InboundOptions parse(String[] args) {
        Arguments given = Arguments.parse(args, Set.of("concurrency", "events", "runs", "warmup-events", "settle",
                "timeout", "jar", "service-jvm-args", "work-dir"), Set.of("accept-only"));
        return new InboundOptions(
                given.list("concurrency", "1,8,32", Integer::parseInt),
                given.integer("events", 20_000),
                given.integer("runs", 3),
                given.integer("warmup-events", 10_000),
                Duration.ofSeconds(given.number("settle", 0)),
                Duration.ofSeconds(given.number("timeout", 600)),
                given.flag("accept-only"),
                given.jar(),
                given.serviceJvmArgs(),
                given.workDir("stripe-sync-inbound-bench-"));
    }
}
