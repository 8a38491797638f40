package com.stripesync.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the outbound benchmark measures, from its {@code --name value} arguments ({@link Arguments}).
 *
 * @param limits         the fake's per-second limits to measure at, one series each
 * @param rateFactors    offered rate as a multiple of the limit, one series each
 * @param runs           runs per series
 * @param warmup         load before the steady window, not measured
 * @param steady         the measured window
 * @param drain          the longest wait after the load for accepted customers to reach the fake
 * @param fakeLatency    how long the fake takes to answer every request
 * @param jar            the packaged service
 * @param serviceJvmArgs options for the service's JVM
 * @param workDir        where service logs are kept (and data directories made, then deleted)
 */
record OutboundOptions(List<Integer> limits, List<Double> rateFactors, int runs, Duration warmup, Duration steady,
                       Duration drain, Duration fakeLatency, Path jar, List<String> serviceJvmArgs, Path workDir) {

    static final String USAGE = """
            java -jar bench/target/stripe-sync-bench.jar [outbound] [options]   (from the repository root, after packaging)
              --limits 25,100          the fake's per-second limits (and STRIPE_WRITES_PER_SECOND given to the service)
              --rate-factors 1.1       offered rate as multiples of the limit (e.g. 1.1,0.8)
              --runs 3                 runs per limit and rate factor
              --warmup 10              seconds of load before the measured window
              --duration 60            seconds of the measured (steady) window
              --drain 30               seconds to wait afterwards for accepted customers to reach the fake
              --latency-ms 200         the fake's latency on every request
              --jar bootstrap/target/stripe-sync.jar
              --service-jvm-args "-Xmx512m -XX:+UseParallelGC"
              --work-dir <temp dir>    service logs are kept there
            """;

    OutboundOptions {
        limits = List.copyOf(limits);
        rateFactors = List.copyOf(rateFactors);
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
        if (limits.isEmpty() || limits.stream().anyMatch(limit -> limit < 1)) {
            throw new IllegalArgumentException("--limits needs whole numbers of at least 1");
        }
        if (rateFactors.isEmpty() || rateFactors.stream().anyMatch(factor -> !(factor > 0))) {
            throw new IllegalArgumentException("--rate-factors needs numbers above 0");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs needs at least 1");
        }
        if (steady.toMillis() < 1_000 || warmup.isNegative() || drain.isNegative() || fakeLatency.isNegative()) {
            throw new IllegalArgumentException("--duration needs at least 1 s; --warmup, --drain, --latency-ms at least 0");
        }
    }

    static OutboundOptions parse(String[] args) {
        Arguments given = Arguments.parse(args, Set.of("limits", "rate-factors", "runs", "warmup", "duration", "drain",
                "latency-ms", "jar", "service-jvm-args", "work-dir"), Set.of());
        return new OutboundOptions(
                given.list("limits", "25,100", Integer::parseInt),
                given.list("rate-factors", "1.1", Double::parseDouble),
                given.integer("runs", 3),
                Duration.ofSeconds(given.number("warmup", 10)),
                Duration.ofSeconds(given.number("duration", 60)),
                Duration.ofSeconds(given.number("drain", 30)),
                Duration.ofMillis(given.number("latency-ms", 200)),
                given.jar(),
                given.serviceJvmArgs(),
                given.workDir("stripe-sync-bench-"));
    }
}
