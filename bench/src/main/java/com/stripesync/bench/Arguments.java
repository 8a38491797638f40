package com.stripesync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A benchmark's {@code --name value} (or {@code --name=value}) arguments, and the options every benchmark
 * shares: the service jar, its JVM options and the work directory. Unknown names are refused.
 */
final class Arguments {

    /**
     * The service's JVM options unless {@code --service-jvm-args} says otherwise: the options README recommends for
     * production (the parallel collector: about 12% less CPU per webhook than the default G1 on 2 cores), and a
     * bounded heap.
     */
    static final String DEFAULT_SERVICE_JVM_ARGS = "-Xmx512m -XX:+UseParallelGC";

    private final Map<String, String> given;

    private Arguments(Map<String, String> given) {
        this.given = given;
    }

    /** @param flags names that take no value ({@code --accept-only}); they read as {@code "true"} */
    static Arguments parse(String[] args, Set<String> known, Set<String> flags) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                given.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (flags.contains(arg.substring(2))) {
                given.put(arg.substring(2), "true");
            } else if (i + 1 < args.length) {
                given.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        given.keySet().stream().filter(name -> !known.contains(name) && !flags.contains(name)).findFirst()
                .ifPresent(name -> {
                    throw new IllegalArgumentException("unknown option --" + name);
                });
        return new Arguments(given);
    }

    String text(String name, String fallback) {
        return given.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return given.containsKey(name) ? Integer.parseInt(given.get(name).strip()) : fallback;
    }

    long number(String name, long fallback) {
        return given.containsKey(name) ? Long.parseLong(given.get(name).strip()) : fallback;
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(given.getOrDefault(name, "false"));
    }

    /** Comma-separated values, blanks ignored. */
    <T> List<T> list(String name, String fallback, Function<String, T> parse) {
        List<T> values = new ArrayList<>();
        for (String part : text(name, fallback).split(",")) {
            if (!part.isBlank()) {
                values.add(parse.apply(part.strip()));
            }
        }
        return values;
    }

    /** {@code --jar}, else the service jar seen from the repository root or from {@code bench/}. */
    Path jar() {
        if (given.containsKey("jar")) {
            return Path.of(given.get("jar")).toAbsolutePath().normalize();
        }
        Path fromRoot = Path.of("bootstrap", "target", "stripe-sync.jar");
        Path fromBench = Path.of("..", "bootstrap", "target", "stripe-sync.jar");
        return (Files.isRegularFile(fromRoot) || !Files.isRegularFile(fromBench) ? fromRoot : fromBench)
                .toAbsolutePath().normalize();
    }

    /** {@code --service-jvm-args}, split at blanks. */
    List<String> serviceJvmArgs() {
        return Arrays.stream(text("service-jvm-args", DEFAULT_SERVICE_JVM_ARGS).trim().split("\\s+"))
                .filter(arg -> !arg.isEmpty()).toList();
    }

    /** {@code --work-dir}, else a new directory under the system's temporary directory. */
    Path workDir(String prefix) {
        return given.containsKey("work-dir") ? Path.of(given.get("work-dir"))
                : Path.of(System.getProperty("java.io.tmpdir")).resolve(prefix + System.currentTimeMillis());
    }
}
