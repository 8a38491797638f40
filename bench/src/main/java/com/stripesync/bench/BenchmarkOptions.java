package com.stripesync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What to measure, from {@code --name value} (or {@code --name=value}) arguments.
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
record BenchmarkOptions(List<Integer> limits, List<Double> rateFactors, int runs, Duration warmup, Duration steady,
                        Duration drain, Duration fakeLatency, Path jar, List<String> serviceJvmArgs, Path workDir) {

    static final String USAGE = """
            java -jar bench/target/stripe-sync-bench.jar [options]   (from the repository root, after packaging)
              --limits 25,100          the fake's per-second limits (and STRIPE_WRITES_PER_SECOND given to the service)
              --rate-factors 1.1       offered rate as multiples of the limit (e.g. 1.1,0.8)
              --runs 3                 runs per limit and rate factor
              --warmup 10              seconds of load before the measured window
              --duration 60            seconds of the measured (steady) window
              --drain 30               seconds to wait afterwards for accepted customers to reach the fake
              --latency-ms 200         the fake's latency on every request
              --jar bootstrap/target/stripe-sync.jar
              --service-jvm-args "-Xmx512m"
              --work-dir <temp dir>    service logs are kept there
            """;

    BenchmarkOptions {
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

    static BenchmarkOptions parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                given.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (i + 1 < args.length) {
                given.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        List<String> known = List.of("limits", "rate-factors", "runs", "warmup", "duration", "drain", "latency-ms", "jar",
                "service-jvm-args", "work-dir");
        given.keySet().stream().filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("unknown option --" + name);
        });
        return new BenchmarkOptions(
                list(given.getOrDefault("limits", "25,100"), Integer::parseInt),
                list(given.getOrDefault("rate-factors", "1.1"), Double::parseDouble),
                Integer.parseInt(given.getOrDefault("runs", "3")),
                Duration.ofSeconds(Long.parseLong(given.getOrDefault("warmup", "10"))),
                Duration.ofSeconds(Long.parseLong(given.getOrDefault("duration", "60"))),
                Duration.ofSeconds(Long.parseLong(given.getOrDefault("drain", "30"))),
                Duration.ofMillis(Long.parseLong(given.getOrDefault("latency-ms", "200"))),
                given.containsKey("jar") ? Path.of(given.get("jar")) : defaultJar(),
                Arrays.stream(given.getOrDefault("service-jvm-args", "-Xmx512m").trim().split("\\s+"))
                        .filter(arg -> !arg.isEmpty()).toList(),
                given.containsKey("work-dir") ? Path.of(given.get("work-dir")) : Path.of(System.getProperty("java.io.tmpdir"))
                        .resolve("stripe-sync-bench-" + System.currentTimeMillis()));
    }

    /** Run from the repository root or from {@code bench/}. */
    private static Path defaultJar() {
        Path fromRoot = Path.of("bootstrap", "target", "stripe-sync.jar");
        Path fromBench = Path.of("..", "bootstrap", "target", "stripe-sync.jar");
        return (Files.isRegularFile(fromRoot) || !Files.isRegularFile(fromBench) ? fromRoot : fromBench)
                .toAbsolutePath().normalize();
    }

    private static <T> List<T> list(String text, Function<String, T> parse) {
        List<T> values = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                values.add(parse.apply(part.strip()));
            }
        }
        return values;
    }
}
