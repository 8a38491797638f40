package com.stripesync.bench;

import com.stripesync.testing.stripe.FakeStripe;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The inbound benchmark: for each run and each concurrency, a fresh service (child JVM, embedded
 * mode, new data directory) receives {@code events} signed Stripe webhooks (a create and an update of each
 * of {@code events / 2} customers) from exactly {@code concurrency} closed-loop senders. Measured: how fast
 * and how quickly it accepts them, how soon all customers show their update through {@code GET /api/customers},
 * the CPU time of the service (its JVM and its PostgreSQL) per event, and that none is lost. Prints each
 * run, then medians and spread (min-max) per concurrency beside a Node.js engine's figures.
 *
 * <p>The service gets a Stripe key and a fake Stripe in this JVM as its API: without a key it starts no
 * inbound worker and the events wait in Kafka. Customers imported from Stripe are not sent back, so the fake
 * should see no request; each run reports how many it saw.
 */
public final class InboundBenchmark {

    private static final System.Logger LOG = System.getLogger(InboundBenchmark.class.getName());

    private static final String BENCH_KEY = "sk_test_bench";
    private static final String WEBHOOK_PATH = "/api/stripe-webhook";
    /** This benchmark's own process: the senders and the catalog watch. */
    private static final List<Long> SELF = List.of(ProcessHandle.current().pid());
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(120);
    private static final Duration QUIET_SAMPLE = Duration.ofMillis(500);
    private static final Duration QUIET_WITHIN = Duration.ofSeconds(20);
    /** Below this share of one core the service counts as quiet (idle Kafka, relay and workers poll). */
    private static final double QUIET_CORES = 0.10;

    /** A Node.js engine's figures, as the issue quotes them: accepted events/s and p99 accept latency. */
    private record Reference(double eventsPerSecond, double p99Millis) {
    }

    private static final Map<Integer, Reference> NODE = Map.of(
            1, new Reference(1_300, 4),
            8, new Reference(3_400, 6),
            32, new Reference(3_700, 26));
    /** Its CPU per event, its process and PostgreSQL together. */
    private static final double NODE_CPU_MS_PER_EVENT = 0.3;
    private static final int TARGET_CONCURRENCY = 32;
    private static final double TARGET_FACTOR = 1.5;

    private final InboundOptions options;

    private InboundBenchmark(InboundOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        InboundOptions options;
        try {
            options = InboundOptions.parse(args);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage() + "\n\n" + InboundOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.jar())) {
            LOG.log(System.Logger.Level.ERROR, ServiceUnderTest.missingJar(options.jar()));
            System.exit(1);
            return;
        }
        if (!ProcessCpu.available()) {
            LOG.log(System.Logger.Level.WARNING, "/proc is not readable; CPU figures will read 0");
        }
        new InboundBenchmark(options).run();
    }

    /**
     * One run's figures.
     *
     * @param acceptedPerSecond events / (last 2xx - first send)
     * @param e2ePerSecond      events / (all customers seen updated - first send); NaN when not measured or incomplete
     * @param cpu               CPU of the service (JVM and PostgreSQL) from the first send until all was seen
     *                          applied (accepted, with --accept-only)
     * @param speedIndex          the machine's {@link Machine#speedIndex()} just before the run
     * @param senderCpuMsPerEvent per event, CPU of this benchmark's JVM (the senders, the watch) over the same window
     *                            as {@code cpu}: what the load itself took from the cores the service shares
     * @param cpuToQuietMsPerEvent per event, CPU from the first send until the service was quiet again (the relay
     *                          and the outbound worker finish the outbox; PostgreSQL's background work)
     * @param count             the run's customers in the catalog afterwards; null with --accept-only
     * @param stripeCalls       requests the fake Stripe received during the whole run (warm-up included)
     */
    private record Run(int concurrency, int run, int events, double meanBodyBytes, WebhookSender.Outcome accepted,
                       double acceptedPerSecond, double p50Millis, double p99Millis, double maxMillis,
                       double e2eSeconds, double e2ePerSecond, long pagesPolled, ServiceCpu cpu,
                       double speedIndex, double senderCpuMsPerEvent, double cpuToQuietMsPerEvent,
                       CatalogWatcher.@Nullable Count count, long stripeCalls, double loadBefore, double loadAfter) {

        long lost() {
            return count == null ? 0 : count.lost() + count.notUpdated();
        }

        double cpuMsPerEvent() {
            return msPerEvent(cpu.total());
        }

        double msPerEvent(Duration time) {
            return time.toNanos() / 1e6 / events;
        }
    }

    private void run() throws Exception {
        Files.createDirectories(options.workDir());
        printHeader();
        List<Run> runs = new ArrayList<>();
        // Runs interleave the concurrencies, so a slow spell of the machine does not hit one series only.
        for (int run = 1; run <= options.runs(); run++) {
            for (int concurrency : options.concurrency()) {
                Run measured = measure(concurrency, run);
                runs.add(measured);
                System.out.println("  " + describe(measured));
            }
        }
        System.out.println();
        System.out.println(runTable(runs));
        System.out.println(summaryTable(runs));
        System.out.println("Service logs: " + options.workDir());
    }

    private Run measure(int concurrency, int run) throws Exception {
        String tag = "c%dr%d%s".formatted(concurrency, run, randomText(3));
        String secret = "whsec_bench" + randomText(12);
        WebhookEvents warmup = WebhookEvents.render(tag + "w", options.warmupEvents() / 2);
        WebhookEvents events = WebhookEvents.render(tag, options.events() / 2);
        System.out.printf(Locale.ROOT, "concurrency %d, run %d: starting (log %s)%n", concurrency, run,
                ServiceUnderTest.logFile(options.workDir(), tag));
        try (FakeStripe fake = FakeStripe.start();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(5)).build()) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("STRIPE_WEBHOOK_SECRET", secret);
            settings.put("STRIPE_SYNC_INSTANCE_ID", "bench-" + tag);
            if (!options.acceptOnly()) {
                settings.put("STRIPE_SECRET_KEY", BENCH_KEY);
                settings.put("STRIPE_API_BASE", fake.apiBase());
            }
            try (ServiceUnderTest service = ServiceUnderTest.start(options.jar(), options.serviceJvmArgs(), settings,
                    options.workDir(), tag)) {
                service.awaitHealthy(HEALTHY_WITHIN);
                WebhookSender sender = new WebhookSender(service.uri(WEBHOOK_PATH), secret);
                CatalogWatcher catalog = new CatalogWatcher(http, service.uri("/api/customers"));
                if (warmup.customerCount() > 0) {
                    sender.send(warmup, concurrency, warmup.events().size(), service::isAlive);
                    if (!options.acceptOnly()) {
                        CatalogWatcher.Watch warm = catalog.awaitUpdated(warmup, options.timeout(), service::isAlive,
                                null);
                        if (!warm.complete()) {
                            throw new IllegalStateException("The warm-up's events were not applied within "
                                    + options.timeout().toSeconds() + " s (" + warm.seen() + " of "
                                    + warmup.customerCount() + " customers); see " + service.log());
                        }
                    }
                }
                Thread.sleep(options.settle());
                // The run's customers are listed after everything there now: its watch starts at the last page.
                @Nullable String runStartsAt = options.acceptOnly() ? null : catalog.lastPageCursor();
                awaitQuiet(service);
                return measured(concurrency, run, events, service, sender, catalog, fake, runStartsAt);
            }
        }
    }

    private Run measured(int concurrency, int run, WebhookEvents events, ServiceUnderTest service, WebhookSender sender,
                         CatalogWatcher catalog, FakeStripe fake, @Nullable String runStartsAt)
            throws IOException, InterruptedException {
        int n = events.events().size();
        double loadBefore = Machine.loadAverage();
        double speed = Machine.speedIndex();
        ServiceCpu cpuBefore = service.cpuTime();
        Duration senderCpuBefore = ProcessCpu.of(SELF);
        WebhookSender.Outcome accepted = sender.send(events, concurrency, n, service::isAlive);
        double e2eSeconds = Double.NaN;
        long pages = 0;
        ServiceCpu cpuAtEnd;
        Duration senderCpuAtEnd;
        if (options.acceptOnly()) {
            cpuAtEnd = service.cpuTime();
            senderCpuAtEnd = ProcessCpu.of(SELF);
        } else {
            CatalogWatcher.Watch watch = catalog.awaitUpdated(events, options.timeout(), service::isAlive,
                    runStartsAt);
            cpuAtEnd = service.cpuTime();
            senderCpuAtEnd = ProcessCpu.of(SELF);
            pages = watch.pages();
            if (watch.complete()) {
                e2eSeconds = (watch.doneNanos() - accepted.startNanos()) / 1e9;
            } else {
                System.out.printf("  only %d of %d customers showed their update within %d s%n", watch.seen(),
                        events.customerCount(), options.timeout().toSeconds());
            }
        }
        ServiceCpu cpuAtQuiet = awaitQuiet(service);
        CatalogWatcher.@Nullable Count count = options.acceptOnly() ? null : catalog.count(events);
        List<Double> latencies = accepted.acceptMillis();
        return new Run(concurrency, run, n, events.meanBodyBytes(), accepted, accepted.acceptedPerSecond(),
                Percentiles.of(latencies, 50), Percentiles.of(latencies, 99),
                latencies.isEmpty() ? Double.NaN : latencies.getLast(), e2eSeconds, n / e2eSeconds, pages,
                cpuAtEnd.minus(cpuBefore), speed, senderCpuAtEnd.minus(senderCpuBefore).toNanos() / 1e6 / n,
                cpuAtQuiet.minus(cpuBefore).total().toNanos() / 1e6 / n, count,
                fake.requests().size(), loadBefore, Machine.loadAverage());
    }

    /**
     * Waits until the service uses less than {@value #QUIET_CORES} of a core over {@link #QUIET_SAMPLE}, at most
     * {@link #QUIET_WITHIN}; returns its CPU time then.
     */
    private static ServiceCpu awaitQuiet(ServiceUnderTest service) throws InterruptedException {
        long deadline = System.nanoTime() + QUIET_WITHIN.toNanos();
        ServiceCpu last = service.cpuTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_SAMPLE);
            ServiceCpu now = service.cpuTime();
            boolean quiet = now.minus(last).total().toNanos() < QUIET_CORES * QUIET_SAMPLE.toNanos();
            last = now;
            if (quiet) {
                break;
            }
        }
        return last;
    }

    private String describe(Run run) {
        WebhookSender.Outcome accepted = run.accepted();
        String applied = options.acceptOnly() ? "end-to-end not measured (--accept-only)"
                : Double.isNaN(run.e2ePerSecond()) ? "end-to-end INCOMPLETE"
                : String.format(Locale.ROOT, "end-to-end %.0f/s (%.2f s, %d list pages polled)", run.e2ePerSecond(),
                run.e2eSeconds(), run.pagesPolled());
        CatalogWatcher.Count count = run.count();
        String verified = count == null ? "not verified (nothing applied)" : String.format(Locale.ROOT,
                "%d of %d customers updated once; lost %d, duplicates %d, not updated %d, wrong %d%s",
                count.updated(), run.events() / 2, count.lost(), count.duplicates(), count.notUpdated(), count.wrong(),
                count.allThere(run.events() / 2) ? "" : " <- FAILED");
        String failures = accepted.failures() == 0 ? "non-2xx 0" : "non-2xx " + accepted.failures() + " "
                + accepted.failuresByStatus() + " (re-sent and accepted later; first: " + accepted.firstFailure() + ")";
        return String.format(Locale.ROOT, "c=%d run %d: accepted %.0f/s (%d events of %.0f B in %.2f s), accept p50 "
                        + "%.2f ms p99 %.2f ms max %.1f ms; %s; CPU %.3f ms/event (%.0f ms per 1,000; %s), %.3f until "
                        + "quiet; the benchmark's own CPU %.3f ms/event; %s; %s; Stripe requests %d; load %.2f -> %.2f; "
                        + "machine speed %.0f MB/s SHA-256",
                run.concurrency(), run.run(), run.acceptedPerSecond(), run.events(), run.meanBodyBytes(),
                (accepted.lastAcceptNanos() - accepted.startNanos()) / 1e9, run.p50Millis(), run.p99Millis(),
                run.maxMillis(), applied, run.cpuMsPerEvent(), run.cpuMsPerEvent() * 1_000, breakdown(run),
                run.cpuToQuietMsPerEvent(), run.senderCpuMsPerEvent(),
                failures, verified, run.stripeCalls(), run.loadBefore(), run.loadAfter(), run.speedIndex());
    }

    private static String breakdown(Run run) {
        ServiceCpu cpu = run.cpu();
        return String.format(Locale.ROOT, "PostgreSQL %.3f, JIT %.3f, GC %.3f, Kafka %.3f, rest of the JVM %.3f",
                run.msPerEvent(cpu.postgres()), run.msPerEvent(cpu.jit()), run.msPerEvent(cpu.gc()),
                run.msPerEvent(cpu.kafka()), run.msPerEvent(cpu.restOfJvm()));
    }

    private String runTable(List<Run> runs) {
        StringBuilder table = new StringBuilder("Runs (" + options.events() + " events each):\n\n"
                + "| c | run | accepted/s | p50 ms | p99 ms | max ms | e2e/s | e2e s | CPU ms/event | until quiet "
                + "| bench CPU ms/event | non-2xx | lost | dup. | Stripe req. | load before/after | speed MB/s |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (Run run : runs) {
            table.append(String.format(Locale.ROOT,
                    "| %d | %d | %.0f | %.2f | %.2f | %.1f | %s | %s | %.3f | %.3f | %.3f | %d | %s | %s | %d "
                            + "| %.2f / %.2f | %.0f |%n",
                    run.concurrency(), run.run(), run.acceptedPerSecond(), run.p50Millis(), run.p99Millis(),
                    run.maxMillis(), fixed(run.e2ePerSecond(), "%.0f"), fixed(run.e2eSeconds(), "%.2f"),
                    run.cpuMsPerEvent(), run.cpuToQuietMsPerEvent(), run.senderCpuMsPerEvent(),
                    run.accepted().failures(),
                    run.count() == null ? "-" : Long.toString(run.lost()),
                    run.count() == null ? "-" : Integer.toString(run.count().duplicates()), run.stripeCalls(),
                    run.loadBefore(), run.loadAfter(), run.speedIndex()));
        }
        return table.toString();
    }

    private String summaryTable(List<Run> runs) {
        StringBuilder table = new StringBuilder("Medians [min-max] over the runs; Node.js reference beside ours:\n\n"
                + "| c | runs | accepted/s | vs Node | p50 ms | p99 ms | Node p99 | e2e/s | vs Node | CPU ms/event "
                + "| until quiet | Node CPU | non-2xx | lost |\n"
                + "|---:|---:|---|---|---|---|---:|---|---|---|---|---:|---|---|\n");
        Map<Integer, List<Run>> byConcurrency = runs.stream().collect(Collectors.groupingBy(Run::concurrency,
                LinkedHashMap::new, Collectors.toList()));
        List<String> verdicts = new ArrayList<>();
        byConcurrency.forEach((concurrency, group) -> {
            Optional<Reference> node = Optional.ofNullable(NODE.get(concurrency));
            Spread acceptedPerSecond = Spread.of(group, Run::acceptedPerSecond);
            Spread p99 = Spread.of(group, Run::p99Millis);
            Spread e2e = Spread.of(group, Run::e2ePerSecond);
            Spread cpu = Spread.of(group, Run::cpuMsPerEvent);
            table.append(String.format(Locale.ROOT,
                    "| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    concurrency, group.size(), acceptedPerSecond.format("%.0f"),
                    ratio(group, Run::acceptedPerSecond, node),
                    Spread.of(group, Run::p50Millis).format("%.2f"), p99.format("%.2f"),
                    node.map(ref -> String.format(Locale.ROOT, "%.0f", ref.p99Millis())).orElse("-"),
                    e2e.format("%.0f"), ratio(group, Run::e2ePerSecond, node), cpu.format("%.3f"),
                    Spread.of(group, Run::cpuToQuietMsPerEvent).format("%.3f"),
                    String.format(Locale.ROOT, "%.1f", NODE_CPU_MS_PER_EVENT),
                    Spread.of(group, run -> run.accepted().failures()).format("%.0f"),
                    options.acceptOnly() ? "-" : Spread.of(group, run -> run.lost()).format("%.0f")));
            node.ifPresent(reference -> verdicts.add(verdict(concurrency, reference, e2e, p99, cpu)));
        });
        table.append("\nWhere the service's CPU went, ms per event (medians [min-max]; the window of CPU ms/event):\n\n"
                + "| c | total | PostgreSQL | JIT compilers | GC | Kafka (broker, clients) | rest of the JVM |\n"
                + "|---:|---|---|---|---|---|---|\n");
        byConcurrency.forEach((concurrency, group) -> table.append(String.format(Locale.ROOT,
                "| %d | %s | %s | %s | %s | %s | %s |%n", concurrency,
                Spread.of(group, Run::cpuMsPerEvent).format("%.3f"),
                Spread.of(group, run -> run.msPerEvent(run.cpu().postgres())).format("%.3f"),
                Spread.of(group, run -> run.msPerEvent(run.cpu().jit())).format("%.3f"),
                Spread.of(group, run -> run.msPerEvent(run.cpu().gc())).format("%.3f"),
                Spread.of(group, run -> run.msPerEvent(run.cpu().kafka())).format("%.3f"),
                Spread.of(group, run -> run.msPerEvent(run.cpu().restOfJvm())).format("%.3f"))));
        table.append(String.format(Locale.ROOT, "%nNode.js reference (the issue's): %s events/s, p99 %s ms, %.1f ms CPU "
                        + "per event (its process and PostgreSQL; ours: the JVM with its in-process Kafka, and PostgreSQL)."
                        + " vs Node divides our median by its events/s.%n",
                NODE.keySet().stream().sorted().map(c -> "c=" + c + " " + Math.round(NODE.get(c).eventsPerSecond()))
                        .collect(Collectors.joining(", ")),
                NODE.keySet().stream().sorted().map(c -> String.valueOf(Math.round(NODE.get(c).p99Millis())))
                        .collect(Collectors.joining(" / ")), NODE_CPU_MS_PER_EVENT));
        if (!verdicts.isEmpty()) {
            table.append("\nAgainst the issue's targets (medians):\n");
            verdicts.forEach(verdict -> table.append("- ").append(verdict).append('\n'));
        }
        if (options.events() < 20_000) {
            table.append("\nNote: the issue asks for at least 20,000 events per run; these runs had ")
                    .append(options.events()).append(".\n");
        }
        return table.toString();
    }

    /** e2e at c=32 at least 1.5 x Node's; p99 no worse than Node's at that concurrency; CPU per event below Node's. */
    private String verdict(int concurrency, Reference node, Spread e2e, Spread p99, Spread cpu) {
        List<String> parts = new ArrayList<>();
        if (concurrency == TARGET_CONCURRENCY) {
            double target = TARGET_FACTOR * node.eventsPerSecond();
            parts.add(Double.isNaN(e2e.median()) ? "e2e not measured"
                    : String.format(Locale.ROOT, "%s e2e >= %.0f/s (%.1f x Node)",
                    e2e.median() >= target ? "meets" : "misses", target, TARGET_FACTOR));
        }
        parts.add(String.format(Locale.ROOT, "%s p99 <= %.0f ms", p99.median() <= node.p99Millis() ? "meets" : "misses",
                node.p99Millis()));
        parts.add(String.format(Locale.ROOT, "%s CPU < %.1f ms/event", cpu.median() < NODE_CPU_MS_PER_EVENT ? "meets"
                : "misses", NODE_CPU_MS_PER_EVENT));
        return "c=" + concurrency + ": " + String.join("; ", parts);
    }

    private static String ratio(List<Run> group, ToDoubleFunction<Run> figure, Optional<Reference> node) {
        if (node.isEmpty()) {
            return "-";
        }
        return Spread.of(group, run -> figure.applyAsDouble(run) / node.get().eventsPerSecond()).format("%.2fx");
    }

    private void printHeader() {
        System.out.printf(Locale.ROOT, "stripe-sync inbound (webhook) benchmark, %s%n"
                        + "machine: %s%n"
                        + "jar: %s (built %s)%n"
                        + "concurrency %s, %d events per run (%d customers: create, then update), %d run(s) each, "
                        + "warm-up %d events, then a pause of %d s%s%n%n",
                Machine.now(), Machine.describe(), options.jar(), Machine.lastModified(options.jar()),
                options.concurrency(), options.events(), options.events() / 2, options.runs(), options.warmupEvents(),
                options.settle().toSeconds(),
                options.acceptOnly() ? "; accept only (no Stripe key: nothing is applied)" : "");
    }

    private static String fixed(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /** Lower-case letters and digits: part of emails and of the webhook secret. */
    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
