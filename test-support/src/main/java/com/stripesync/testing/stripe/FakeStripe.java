package com.stripesync.testing.stripe;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A fake of Stripe's v1 customer API on an ephemeral port of 127.0.0.1, for tests that drive a real
 * HTTP client (stripe-java or any other) against it.
 *
 * <p>Like Stripe it:
 * <ul>
 *   <li>requires {@code Authorization: Bearer sk_...} (or {@code rk_...}, or exactly the key given to
 *       {@link #start(String)}) and answers 401 otherwise;</li>
 *   <li>serves {@code POST /v1/customers}, {@code POST|GET|DELETE /v1/customers/{id}},
 *       {@code GET /v1/customers} ({@code limit}, {@code starting_after}, {@code email} (exact),
 *       {@code created} and {@code created[gt|gte|lt|lte]}) and
 *       {@code GET /v1/customers/search} ({@code query}, {@code limit}, {@code page}; see
 *       {@link SearchQuery}), both newest first, reading form-encoded bodies with
 *       {@code metadata[key]=value};</li>
 *   <li>answers Stripe-shaped JSON (customers {@code cus_...} with {@code livemode: false}, deleted stubs,
 *       lists, search results) and errors {@code {"error": {"type", "code", "message", "param"}}}, including
 *       400 {@code parameter_unknown} for any parameter an endpoint does not define;</li>
 *   <li>treats an empty string as "unset this field";</li>
 *   <li>saves the answer to each POST under its {@code Idempotency-Key} and replays it
 *       ({@code Idempotent-Replayed: true}); the same key with other parameters is 400
 *       {@code idempotency_error}; DELETE ignores the key, as Stripe does.</li>
 * </ul>
 *
 * <p>Where it differs: writes are serialized (Stripe answers 409 to concurrent requests with one key;
 * here the second waits and is replayed), keys never expire unless {@link #expireIdempotencyKeys()} is
 * called, and search sees every write at once unless {@link #searchLag(Duration)} says otherwise.
 *
 * <p>For tests it records every request ({@link #requests()}), the status it answered each with
 * ({@link #answeredWith(int)}) and which of them it answered 429 ({@link #rateLimitedRequests()}), counts
 * the most requests in flight at once ({@link #maxConcurrentRequests()}) and the client connections they
 * came on ({@link #connectionsUsed()}), lets tests seed and inspect customers, and injects faults through
 * {@link #faults()}. Thread-safe. Close it to stop it.
 */
public final class FakeStripe implements AutoCloseable {

    /** The API version answered when a request names none; the one stripe-java 33.3.0 pins. */
    public static final String DEFAULT_API_VERSION = "2026-07-29.dahlia";

    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;
    private final @Nullable String requiredApiKey;
    private final CustomerStore customers;
    private final CustomerEndpoints endpoints;
    private final IdempotencyStore idempotency = new IdempotencyStore();
    private final Faults faults = new Faults();
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RecordedRequest> rateLimited = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Set<SocketAddress> clientAddresses = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Duration> searchLag = new AtomicReference<>(Duration.ZERO);
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final Object writeLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();

    private FakeStripe(@Nullable String requiredApiKey) throws IOException {
        this.requiredApiKey = requiredApiKey;
        this.customers = new CustomerStore(clock);
        this.endpoints = new CustomerEndpoints(customers, clock, searchLag::get);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fake-stripe-", 0).factory());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake that accepts any secret ({@code sk_}) or restricted ({@code rk_}) key. */
    public static FakeStripe start() {
        return create(null);
    }

    /** Starts a fake that accepts only this API key. */
    public static FakeStripe start(String requiredApiKey) {
        return create(Objects.requireNonNull(requiredApiKey, "requiredApiKey"));
    }

    private static FakeStripe create(@Nullable String requiredApiKey) {
        try {
            return new FakeStripe(requiredApiKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the fake Stripe server", e);
        }
    }

    /** The base URL to give a client, e.g. stripe-java's {@code setApiBase}: {@code http://127.0.0.1:<port>}. */
    public String apiBase() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The faults to inject into the next requests. */
    public Faults faults() {
        return faults;
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The POST and DELETE requests received so far, in arrival order. */
    public List<RecordedRequest> writes() {
        return requests.stream().filter(RecordedRequest::isWrite).toList();
    }

    /**
     * The requests answered 429 {@code rate_limit} so far, by {@link Faults#limitPerSecond} or
     * {@link Faults#rateLimitNext}; the same instances as in {@link #requests()}. A request over the
     * per-second limit is listed as soon as it arrived, before its answer's latency.
     */
    public List<RecordedRequest> rateLimitedRequests() {
        return List.copyOf(rateLimited);
    }

    /**
     * The requests answered with this HTTP status so far, in the order the answers were sent; the same
     * instances as in {@link #requests()}. A request whose connection was dropped has no answer.
     */
    public List<RecordedRequest> answeredWith(int status) {
        return answered.stream().filter(answer -> answer.status() == status).map(Answered::request).toList();
    }

    /** How many requests were answered 429 {@code rate_limit} so far. */
    public int rateLimitedCount() {
        return rateLimited.size();
    }

    /** The most requests that were being handled at the same moment, since start or the last reset. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /**
     * How many client connections requests came on, since start or the last {@link #clearRequests()}:
     * the distinct client addresses and ports seen. A client that keeps connections alive for reuse opens
     * about as many as it has requests in flight at once; one that does not, one per request.
     */
    public int connectionsUsed() {
        return clientAddresses.size();
    }

    /** Forgets the recorded requests, their answers, the rate-limited ones, the concurrency peak and the connections seen. */
    public void clearRequests() {
        requests.clear();
        rateLimited.clear();
        answered.clear();
        clientAddresses.clear();
        maxInFlight.set(inFlight.get());
    }

    /** The live customers, oldest first. */
    public List<FakeCustomer> customers() {
        return customers.all().stream().filter(c -> !c.deleted()).toList();
    }

    /** The customer with this id, deleted stubs included. */
    public Optional<FakeCustomer> customer(String id) {
        return customers.find(id);
    }

    /** Adds a customer as if made on Stripe's side (Dashboard, another integration), without a request. */
    public FakeCustomer seedCustomer(@Nullable String name, @Nullable String email, Map<String, String> metadata) {
        return customers.create(name, email, null, null, metadata);
    }

    /**
     * Gives a live customer this name and email as if edited on Stripe's side (the Dashboard, another integration),
     * without a request; its other fields and metadata stay. Serialized with the writes the fake executes, so it
     * lands before a write still waiting out its {@link Faults#latency latency}.
     */
    public FakeCustomer editCustomer(String id, @Nullable String name, @Nullable String email) {
        synchronized (writeLock) {
            FakeCustomer current = customers.find(id).filter(customer -> !customer.deleted())
                    .orElseThrow(() -> new IllegalArgumentException("no live customer " + id));
            return customers.replace(current.withDetails(name, email, current.description(), current.phone(),
                    current.metadata(), clock.instant()));
        }
    }

    /** Forgets every saved idempotency key, as Stripe does 24 hours after a key's first use. */
    public void expireIdempotencyKeys() {
        idempotency.clear();
    }

    /** Hides customers written less than {@code lag} ago from search, like Stripe's asynchronous index. */
    public void searchLag(Duration lag) {
        if (lag.isNegative()) {
            throw new IllegalArgumentException("lag must not be negative");
        }
        searchLag.set(lag);
    }

    /** Back to a fresh fake: no customers, keys, requests or faults. */
    public void reset() {
        synchronized (writeLock) {
            customers.clear();
            idempotency.clear();
        }
        faults.clear();
        searchLag.set(Duration.ZERO);
        clearRequests();
    }

    /** Stops the server; requests in flight are cut off. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        clientAddresses.add(exchange.getRemoteAddress());
        try {
            RecordedRequest request = record(exchange);
            // Stripe's limiter counts a request when it arrives; the latency stands for everything after.
            boolean withinSecondLimit = faults.admitWithinSecondLimit(request.arrivedAt());
            if (!withinSecondLimit) {
                rateLimited.add(request);
            }
            faults.delay();
            Reply reply;
            try {
                reply = withinSecondLimit ? answer(request) : rateLimitError(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                reply = Reply.error(new StripeApiError(500, "api_error", null, "Fake Stripe failed: " + e, null));
            }
            if (reply.dropConnection()) {
                // Closing an exchange before its response headers were sent closes the connection.
                exchange.close();
                return;
            }
            answered.add(new Answered(request, reply.status()));
            send(exchange, request, reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private RecordedRequest record(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        byte[] body = exchange.getRequestBody().readAllBytes();
        String encoded = method.equals("POST")
                ? new String(body, StandardCharsets.UTF_8)
                : exchange.getRequestURI().getRawQuery();
        RecordedRequest request = new RecordedRequest(method, exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders(), FormParams.decode(encoded), clock.instant());
        requests.add(request);
        return request;
    }

    private Reply answer(RecordedRequest request) {
        Optional<StripeApiError> unauthenticated = authenticate(request);
        if (unauthenticated.isPresent()) {
            return Reply.error(unauthenticated.get());
        }
        Faults.RateLimit rateLimit = faults.takeRateLimit();
        if (rateLimit != null) {
            rateLimited.add(request);
            return rateLimitError(rateLimit.retryAfter());
        }
        StripeApiError rejection = faults.takeRejection();
        if (rejection != null) {
            return Reply.error(rejection);
        }
        if (!CustomerEndpoints.handles(request.path())) {
            return Reply.error(CustomerEndpoints.unrecognized(request.method(), request.path()));
        }
        return request.isWrite() ? write(request) : execute(request);
    }

    private static Reply rateLimitError(@Nullable Duration retryAfter) {
        Reply limited = Reply.error(new StripeApiError(429, "invalid_request_error", "rate_limit",
                "Request rate limit exceeded. You can make up to 25 requests per second in test mode.", null));
        return retryAfter == null ? limited : limited.withHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
    }

    private Reply write(RecordedRequest request) {
        synchronized (writeLock) {
            Optional<String> key = request.method().equals("POST") ? request.idempotencyKey() : Optional.empty();
            Optional<IdempotencyStore.Saved> saved = key.flatMap(idempotency::find);
            if (saved.isPresent()) {
                if (!saved.get().answers(request)) {
                    return Reply.error(new StripeApiError(400, "idempotency_error", null,
                            "Keys for idempotent requests can only be used with the same parameters they were first"
                                    + " used with. Try using a key other than '" + key.get()
                                    + "' if you meant to execute a different request.", null));
                }
                Reply replay = saved.get().reply()
                        .withHeader("Idempotent-Replayed", "true")
                        .withHeader("Original-Request", saved.get().requestId());
                return replay.isSuccess() ? withAfterApplyFault(replay) : replay;
            }
            Reply reply = execute(request);
            if (!reply.isSuccess()) {
                return reply;
            }
            Faults.AfterApply fault = faults.takeAfterApply();
            Reply answer = fault == Faults.AfterApply.SERVER_ERROR ? Reply.error(StripeApiError.serverError()) : reply;
            key.ifPresent(k -> idempotency.save(k, request, answer, newRequestId()));
            return fault == Faults.AfterApply.DROP_CONNECTION ? Reply.dropped() : answer;
        }
    }

    private Reply withAfterApplyFault(Reply reply) {
        Faults.AfterApply fault = faults.takeAfterApply();
        if (fault == null) {
            return reply;
        }
        return fault == Faults.AfterApply.DROP_CONNECTION ? Reply.dropped() : Reply.error(StripeApiError.serverError());
    }

    private Reply execute(RecordedRequest request) {
        try {
            return Reply.json(200, endpoints.handle(request.method(), request.path(), request.params()));
        } catch (StripeApiError error) {
            return Reply.error(error);
        }
    }

    private Optional<StripeApiError> authenticate(RecordedRequest request) {
        String authorization = request.header("Authorization").orElse("");
        if (!authorization.startsWith("Bearer ") || authorization.substring(7).isBlank()) {
            return Optional.of(new StripeApiError(401, "invalid_request_error", null,
                    "You did not provide an API key. You need to provide your API key in the Authorization header,"
                            + " using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').", null));
        }
        String key = authorization.substring(7).strip();
        boolean accepted = requiredApiKey == null
                ? key.startsWith("sk_") || key.startsWith("rk_")
                : requiredApiKey.equals(key);
        if (!accepted) {
            return Optional.of(new StripeApiError(401, "invalid_request_error", "api_key_invalid",
                    "Invalid API Key provided: " + mask(key), null));
        }
        return Optional.empty();
    }

    private void send(HttpExchange exchange, RecordedRequest request, Reply reply) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", JSON);
        headers.set("Request-Id", newRequestId());
        headers.set("Stripe-Version", request.header("Stripe-Version").orElse(DEFAULT_API_VERSION));
        request.idempotencyKey().ifPresent(key -> headers.set("Idempotency-Key", key));
        reply.headers().forEach(headers::set);
        byte[] body = reply.body();
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        exchange.close();
    }

    private String newRequestId() {
        byte[] bytes = new byte[7];
        random.nextBytes(bytes);
        return "req_" + HexFormat.of().formatHex(bytes);
    }

    private record Answered(RecordedRequest request, int status) {
    }

    /** Stripe shows a rejected key's prefix ({@code sk_test_}) and last four characters only. */
    private static String mask(String key) {
        if (key.length() <= 8) {
            return "*".repeat(key.length());
        }
        int secondUnderscore = key.indexOf('_', key.indexOf('_') + 1);
        int prefix = Math.min(secondUnderscore < 0 ? 0 : secondUnderscore + 1, key.length() - 4);
        return key.substring(0, prefix) + "*".repeat(key.length() - 4 - prefix) + key.substring(key.length() - 4);
    }
}
