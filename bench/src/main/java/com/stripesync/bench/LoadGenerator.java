package com.stripesync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Open-loop load on {@code POST /api/customers}: request {@code i} is due at {@code start + i / rate},
 * whatever happened to earlier ones, and is sent from its own virtual thread over a shared HTTP/1.1
 * client (keep-alive connections, as many as the requests in flight need). A slow answer never delays
 * the next request, so the offered rate is the rate asked for.
 */
final class LoadGenerator {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String LOCATION_PREFIX = "/api/customers/";

    /**
     * One request and its answer. Times are the wall clock of this JVM, the one the fake Stripe records
     * arrivals with.
     *
     * @param customerId the id in the {@code Location} of a 201, else null
     * @param status     the HTTP status, or -1 when no answer came
     */
    record Sent(long index, Instant dueAt, Instant sentAt, Instant answeredAt, int status, @Nullable String customerId) {

        boolean created() {
            return status == 201 && customerId != null;
        }
    }

    /** Everything offered, in order; {@code start} is when request 0 was due. */
    record Load(Instant start, List<Sent> sent) {

        Load {
            sent = List.copyOf(sent);
        }
    }

    private final HttpClient http;
    private final URI customers;
    private final String runTag;
    private final Clock clock = Clock.systemUTC();

    LoadGenerator(HttpClient http, URI customers, String runTag) {
        this.http = http;
        this.customers = customers;
        this.runTag = runTag;
    }

    /** Offers {@code ratePerSecond} for {@code duration}, then waits for every answer. */
    Load offer(double ratePerSecond, Duration duration) {
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        long intervalNanos = Math.round(1_000_000_000d / ratePerSecond);
        long requests = Math.max(1, Math.round(ratePerSecond * duration.toNanos() / 1e9));
        Instant wallStart = clock.instant();
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < requests; i++) {
                long due = start + i * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long index = i;
                Instant dueAt = wallStart.plusNanos(i * intervalNanos);
                senders.execute(() -> sent.add(send(index, dueAt)));
            }
        }
        List<Sent> all = new ArrayList<>(sent);
        all.sort((a, b) -> Long.compare(a.index(), b.index()));
        return new Load(wallStart, all);
    }

    private Sent send(long index, Instant dueAt) {
        String body = """
                {"name":"Bench Customer %d","email":"bench-%s-%d@example.com"}""".formatted(index, runTag, index);
        HttpRequest request = HttpRequest.newBuilder(customers)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        Instant sentAt = clock.instant();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            Instant answeredAt = clock.instant();
            String id = response.headers().firstValue("Location")
                    .filter(location -> location.contains(LOCATION_PREFIX))
                    .map(location -> location.substring(location.lastIndexOf(LOCATION_PREFIX) + LOCATION_PREFIX.length()))
                    .orElse(null);
            return new Sent(index, dueAt, sentAt, answeredAt, response.statusCode(), id);
        } catch (IOException e) {
            return new Sent(index, dueAt, sentAt, clock.instant(), -1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(index, dueAt, sentAt, clock.instant(), -1, null);
        }
    }
}
