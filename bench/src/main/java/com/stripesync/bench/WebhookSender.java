package com.stripesync.bench;

import com.stripesync.testing.stripe.StripeWebhookSigner;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Closed-loop webhook deliveries: exactly {@code concurrency} sender threads share one keep-alive HTTP/1.1
 * client (Helidon's, which does each request's I/O on the calling thread: the load costs the machine the
 * service shares far less CPU than {@code java.net.http}'s selector and executor hand-offs), and each sends its
 * next event as soon as its previous one was answered. Every event is signed
 * when it is sent ({@code Stripe-Signature} with the current time), as Stripe does, also when re-sent.
 *
 * <p>An answer other than 2xx (or no answer) is counted as a failure and its event goes back to the end of
 * the queue, to be sent again later like Stripe's retry: nothing is dropped and nothing is retried unseen.
 * A customer's update leaves only after its create was accepted, so the service receives them in order.
 */
final class WebhookSender {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HeaderName SIGNATURE = HeaderNames.create(StripeWebhookSigner.HEADER);
    private static final long IDLE_PARK_NANOS = 100_000;
    private static final int FAILURE_DETAIL_LENGTH = 300;

    /**
     * What one batch of deliveries did.
     *
     * @param startNanos        {@link System#nanoTime()} when the senders started
     * @param lastAcceptNanos   {@link System#nanoTime()} when the last 2xx came
     * @param acceptMillis      the accept latency of every accepted event, sorted (the request of a failure is not in it)
     * @param failures          answers other than 2xx, and requests that got no answer (status -1)
     * @param failuresByStatus  those failures by status
     * @param firstFailure      the first failure's status and the start of its answer (a problem document, no payload)
     */
    record Outcome(long startNanos, long lastAcceptNanos, List<Double> acceptMillis, long failures,
                   Map<Integer, Long> failuresByStatus, @Nullable String firstFailure) {

        Outcome {
            acceptMillis = List.copyOf(acceptMillis);
            failuresByStatus = Map.copyOf(failuresByStatus);
        }

        double acceptedPerSecond() {
            return acceptMillis.size() / ((lastAcceptNanos - startNanos) / 1e9);
        }
    }

    private final Http1Client http;
    private final String secret;

    /** Keep-alive connections to {@code endpoint}, one per sender thread (opened on first use, then reused). */
    WebhookSender(URI endpoint, String secret) {
        this.http = Http1Client.builder()
                .baseUri(endpoint)
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(REQUEST_TIMEOUT)
                .sendExpectContinue(false)
                .socketOptions(socket -> socket.tcpNoDelay(true))
                .followRedirects(false)
                // Not the system's proxy settings, which the client would otherwise consult on every request.
                .proxy(Proxy.noProxy())
                .build();
        this.secret = secret;
    }

    /**
     * Sends every event until each was accepted once. Gives up, with the figures so far in the message, when
     * the service stops ({@code serviceAlive}) or refuses more than {@code maxFailures} deliveries.
     */
    Outcome send(WebhookEvents batch, int concurrency, long maxFailures, BooleanSupplier serviceAlive)
            throws InterruptedException {
        List<WebhookEvents.Event> events = batch.events();
        ConcurrentLinkedDeque<Integer> queue = new ConcurrentLinkedDeque<>();
        for (int i = 0; i < events.size(); i++) {
            queue.add(i);
        }
        AtomicIntegerArray createAccepted = new AtomicIntegerArray(batch.customerCount());
        AtomicInteger remaining = new AtomicInteger(events.size());
        long[] latencies = new long[events.size()];
        AtomicInteger accepted = new AtomicInteger();
        AtomicLong lastAccept = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Map<Integer, Long> failuresByStatus = new TreeMap<>();
        AtomicReference<@Nullable String> firstFailure = new AtomicReference<>();
        AtomicReference<@Nullable RuntimeException> aborted = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();

        Runnable sender = () -> {
            StripeWebhookSigner.Keyed signer = StripeWebhookSigner.keyedWith(secret);
            while (remaining.get() > 0 && !stop.get()) {
                Integer index = queue.pollFirst();
                if (index == null) {
                    // The rest is in flight; one may still fail and come back.
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                    continue;
                }
                WebhookEvents.Event event = events.get(index);
                if (event.update() && createAccepted.get(event.customer()) == 0) {
                    queue.addLast(index);
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                    continue;
                }
                String signature = signer.sign(event.body(), Instant.now());
                long sent = System.nanoTime();
                int status;
                byte[] answer;
                try (Http1ClientResponse response = http.post()
                        .header(HeaderNames.CONTENT_TYPE, StripeWebhookSigner.CONTENT_TYPE)
                        .header(HeaderNames.USER_AGENT, StripeWebhookSigner.USER_AGENT)
                        .header(SIGNATURE, signature)
                        .submit(event.body())) {
                    status = response.status().code();
                    answer = response.entity().as(byte[].class);
                } catch (RuntimeException e) {
                    status = -1;
                    answer = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
                }
                long answered = System.nanoTime();
                if (status / 100 == 2) {
                    latencies[accepted.getAndIncrement()] = answered - sent;
                    lastAccept.accumulateAndGet(answered, Math::max);
                    if (!event.update()) {
                        createAccepted.set(event.customer(), 1);
                    }
                    remaining.decrementAndGet();
                    continue;
                }
                long failed = failures.incrementAndGet();
                synchronized (failuresByStatus) {
                    failuresByStatus.merge(status, 1L, Long::sum);
                }
                String detail = new String(answer, 0, Math.min(answer.length, FAILURE_DETAIL_LENGTH),
                        StandardCharsets.UTF_8);
                firstFailure.compareAndSet(null, status + " " + detail.replaceAll("\\s+", " "));
                queue.addLast(index);
                if (failed > maxFailures || !serviceAlive.getAsBoolean()) {
                    aborted.compareAndSet(null, new IllegalStateException((serviceAlive.getAsBoolean()
                            ? failed + " deliveries failed" : "the service stopped") + " with " + remaining.get()
                            + " of " + events.size() + " events not accepted; first failure: " + firstFailure.get()));
                    stop.set(true);
                }
            }
        };

        List<Thread> senders = new ArrayList<>(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            senders.add(Thread.ofPlatform().name("webhook-sender-" + i).start(sender));
        }
        try {
            for (Thread thread : senders) {
                thread.join();
            }
        } finally {
            stop.set(true);
            senders.forEach(Thread::interrupt);
        }
        RuntimeException failure = aborted.get();
        if (failure != null) {
            throw failure;
        }
        long[] taken = Arrays.copyOf(latencies, accepted.get());
        Arrays.sort(taken);
        List<Double> millis = Arrays.stream(taken).mapToObj(nanos -> nanos / 1e6).toList();
        synchronized (failuresByStatus) {
            return new Outcome(start, lastAccept.get(), millis, failures.get(), failuresByStatus,
                    firstFailure.get());
        }
    }
}
