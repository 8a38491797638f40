package com.stripesync.bench;

import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The outbound benchmark: for each limit and rate factor, {@code runs} times: a fresh fake Stripe
 * (latency, per-second limit) and a fresh service (child JVM, embedded mode, new data directory), a
 * warm-up, then an open-loop load on {@code POST /api/customers} at {@code factor x limit} for the steady
 * window, a drain, and the window's figures. Prints each run, then medians and spread (min-max).
 */
public final class OutboundBenchmark {

    private static final System.Logger LOG = System.getLogger(OutboundBenchmark.class.getName());

    private static final String BENCH_KEY = "sk_test_bench";
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(120);
    private static final Duration DRAIN_POLL = Duration.ofMillis(500);

    private final OutboundOptions options;

    private OutboundBenchmark(OutboundOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        OutboundOptions options;
        try {
            options = OutboundOptions.parse(args);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage() + "\n\n" + OutboundOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.jar())) {
            LOG.log(System.Logger.Level.ERROR, ServiceUnderTest.missingJar(options.jar()));
            System.exit(1);
            return;
        }
        new OutboundBenchmark(options).run();
    }

    private record Row(double factor, int limit, int run, RunFigures figures, double loadBefore, double loadAfter) {
    }

    private void run() throws Exception {
        Files.createDirectories(options.workDir());
        printHeader();
        List<Row> rows = new ArrayList<>();
        for (double factor : options.rateFactors()) {
            for (int limit : options.limits()) {
                for (int run = 1; run <= options.runs(); run++) {
                    double loadBefore = Machine.loadAverage();
                    RunFigures figures = measure(limit, factor, run);
                    Row row = new Row(factor, limit, run, figures, loadBefore, Machine.loadAverage());
                    rows.add(row);
                    System.out.println("  " + describe(row));
                }
            }
        }
        System.out.println();
        System.out.println(runTable(rows));
        System.out.println(summaryTable(rows));
        System.out.println("Service logs: " + options.workDir());
    }

    private RunFigures measure(int limit, double factor, int run) throws Exception {
        String tag = "l%d-x%s-r%d-%d".formatted(limit, factorText(factor), run, System.currentTimeMillis());
        Path log = ServiceUnderTest.logFile(options.workDir(), tag);
        System.out.printf(Locale.ROOT, "limit %d/s, offered %.1f/s, run %d: starting (log %s)%n", limit, limit * factor,
                run, log);
        try (FakeStripe fake = FakeStripe.start();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(5)).build()) {
            fake.faults().latency(options.fakeLatency()).limitPerSecond(limit);
            Map<String, String> settings = Map.of(
                    "STRIPE_SECRET_KEY", BENCH_KEY,
                    "STRIPE_API_BASE", fake.apiBase(),
                    "STRIPE_WRITES_PER_SECOND", Integer.toString(limit),
                    "STRIPE_SYNC_INSTANCE_ID", "bench-" + tag);
            try (ServiceUnderTest service = ServiceUnderTest.start(options.jar(), options.serviceJvmArgs(), settings,
                    options.workDir(), tag)) {
                service.awaitHealthy(HEALTHY_WITHIN);
                LoadGenerator.Load load = new LoadGenerator(http, service.uri("/api/customers"), tag)
                        .offer(limit * factor, options.warmup().plus(options.steady()));
                long waiting = drain(fake, load);
                if (waiting > 0) {
                    System.out.printf("  after a %d s drain, %d accepted customers had not reached the fake%n",
                            options.drain().toSeconds(), waiting);
                }
                return RunFigures.of(load.sent(), fake.requests(), fake.rateLimitedRequests(), load.start(),
                        load.start().plus(options.warmup()), options.steady());
            }
        }
    }

    /** Waits until every customer the API created reached the fake, or the drain time is over; returns how many did not. */
    private long drain(FakeStripe fake, LoadGenerator.Load load) throws InterruptedException {
        Set<String> created = load.sent().stream().filter(LoadGenerator.Sent::created)
                .map(LoadGenerator.Sent::customerId).collect(Collectors.toSet());
        long deadline = System.nanoTime() + options.drain().toNanos();
        while (true) {
            List<RecordedRequest> received = fake.requests();
            Set<String> reached = RunFigures.firstAdmittedCreates(received, fake.rateLimitedRequests()).keySet();
            long waiting = created.stream().filter(id -> !reached.contains(id)).count();
            if (waiting == 0 || System.nanoTime() >= deadline) {
                return waiting;
            }
            Thread.sleep(DRAIN_POLL);
        }
    }

    private String describe(Row row) {
        RunFigures f = row.figures();
        return String.format(Locale.ROOT, "limit %d/s run %d: offered %.1f/s, writes at the fake %.1f/s (%.1f%% of the "
                        + "limit), 429s %d (warm-up %d, after %d), delay p50 %s ms p99 %s ms, not reached %d of %d, "
                        + "API errors %d, load %.2f -> %.2f",
                row.limit(), row.run(), f.offeredPerSecond(), f.writesPerSecond(), 100 * f.writesPerSecond() / row.limit(),
                f.rateLimited(), f.rateLimitedBefore(), f.rateLimitedAfter(), millis(f.delayP50Millis()), millis(f.delayP99Millis()),
                f.notReached(), f.created(), f.apiErrors(), row.loadBefore(), row.loadAfter())
                + (f.firstRefusals().isEmpty() ? "" : "; first 429s at " + f.firstRefusals().stream()
                        .map(seconds -> String.format(Locale.ROOT, "%.2f", seconds)).collect(Collectors.joining(" "))
                        + " s into the load");
    }

    private String runTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("Runs (steady window of " + options.steady().toSeconds() + " s each):\n\n"
                + "| limit/s | offered/s | run | writes/s at fake | % of limit | 429s | 429s warm-up/after | p50 ms "
                + "| p99 ms | not reached | API errors | load before/after |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : rows) {
            RunFigures f = row.figures();
            table.append(String.format(Locale.ROOT,
                    "| %d | %.1f | %d | %.1f | %.1f%% | %d | %d / %d | %s | %s | %d | %d | %.2f / %.2f |%n",
                    row.limit(), f.offeredPerSecond(), row.run(), f.writesPerSecond(),
                    100 * f.writesPerSecond() / row.limit(), f.rateLimited(), f.rateLimitedBefore(), f.rateLimitedAfter(),
                    millis(f.delayP50Millis()),
                    millis(f.delayP99Millis()), f.notReached(), f.apiErrors(), row.loadBefore(), row.loadAfter()));
        }
        return table.toString();
    }

    private String summaryTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("Medians [min-max] over the runs:\n\n"
                + "| limit/s | offered/s | runs | writes/s at fake | % of limit | 429s | p50 ms | p99 ms | not reached |\n"
                + "|---:|---:|---:|---|---|---|---|---|---|\n");
        List<String> verdicts = new ArrayList<>();
        rows.stream()
                .collect(Collectors.groupingBy(row -> List.of(row.factor(), (double) row.limit()), LinkedHashMap::new,
                        Collectors.toList()))
                .forEach((series, group) -> {
                    int limit = group.getFirst().limit();
                    double factor = group.getFirst().factor();
                    Spread share = Spread.of(group, row -> 100 * row.figures().writesPerSecond() / limit);
                    Spread limited = Spread.of(group, row -> row.figures().rateLimited());
                    Spread p50 = Spread.of(group, row -> row.figures().delayP50Millis());
                    table.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %s | %s | %s | %s | %s |%n",
                            limit, Spread.of(group, row -> row.figures().offeredPerSecond()).format("%.1f"), group.size(),
                            Spread.of(group, row -> row.figures().writesPerSecond()).format("%.1f"),
                            share.format("%.1f%%"), limited.format("%.0f"), p50.format("%.0f"),
                            Spread.of(group, row -> row.figures().delayP99Millis()).format("%.0f"),
                            Spread.of(group, row -> row.figures().notReached()).format("%.0f")));
                    verdicts.add(verdict(limit, factor, share, limited, p50));
                });
        table.append("\nAgainst the issue's targets (medians):\n");
        verdicts.forEach(verdict -> table.append("- ").append(verdict).append('\n'));
        return table.toString();
    }

    /** The throughput target needs an offer at or above the limit; the delay target one below it. */
    private String verdict(int limit, double factor, Spread share, Spread limited, Spread p50) {
        long delayTarget = 100 + options.fakeLatency().toMillis();
        String throughput = factor >= 1
                ? (share.median() >= 95 ? "meets" : "misses") + " >= 95% of the limit"
                : "throughput target not applicable (offered below the limit)";
        String refusals = (limited.median() == 0 ? "meets" : "misses") + " zero 429s";
        String delay = factor < 1
                ? (p50.median() < delayTarget ? "meets" : "misses") + " p50 < " + delayTarget + " ms"
                : "delay target not applicable (offered above the limit, the backlog grows)";
        return String.format(Locale.ROOT, "limit %d/s, offered at %sx: %s; %s; %s", limit, factorText(factor),
                throughput, refusals, delay);
    }

    private void printHeader() {
        System.out.printf(Locale.ROOT, "stripe-sync outbound benchmark, %s%n"
                        + "machine: %s%n"
                        + "jar: %s (built %s)%n"
                        + "limits %s per second, offered at %s x limit, %d run(s) each; warm-up %d s, steady %d s, "
                        + "drain up to %d s; fake latency %d ms%n%n",
                Machine.now(), Machine.describe(), options.jar(), Machine.lastModified(options.jar()), options.limits(),
                options.rateFactors().stream().map(OutboundBenchmark::factorText).toList(), options.runs(),
                options.warmup().toSeconds(), options.steady().toSeconds(), options.drain().toSeconds(),
                options.fakeLatency().toMillis());
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String factorText(double factor) {
        return factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
    }
}
