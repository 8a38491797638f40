package com.stripesync.bootstrap.service;

import com.stripesync.application.sync.DeleteMode;
import com.stripesync.bootstrap.StripeSyncService;
import com.stripesync.bootstrap.config.ServiceSettings;
import com.stripesync.stripe.connection.StripeSettings;
import com.stripesync.stripe.webhook.StripeWebhookSettings;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.openapi.OpenApiContract;
import com.stripesync.testing.postgres.TestDatabase;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.StripeWebhookSigner;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The fully wired service in this JVM, on a free port, over a given test database. */
public final class RunningService implements AutoCloseable {

    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StripeSyncService service;
    private final ServiceSettings settings;

    private RunningService(StripeSyncService service, ServiceSettings settings) {
        this.service = service;
        this.settings = settings;
    }

    /** The service over this database and the shared test broker, with outbound sync to Stripe paused. */
    public static RunningService over(TestDatabase database) {
        return over(database, new ServiceSettings.Stripe(Optional.empty(), DeleteMode.DELETE, Optional.empty()));
    }

    /** The service over this database and the shared test broker (fresh topics), syncing as {@code stripe} says. */
    public static RunningService over(TestDatabase database, ServiceSettings.Stripe stripe) {
        return over(database, stripe, SharedKafka.freshTopicPrefix());
    }

    /** As above on the topics of {@code topicPrefix}: a restart of the same deployment. */
    public static RunningService over(TestDatabase database, ServiceSettings.Stripe stripe, String topicPrefix) {
        return over(database, stripe, topicPrefix, SharedKafka.bootstrapServers());
    }

    /** As above, on a Kafka of the test's own (one it may stop). */
    public static RunningService over(TestDatabase database, ServiceSettings.Stripe stripe, String topicPrefix,
                                      String bootstrapServers) {
        ServiceSettings settings = new ServiceSettings(0, "127.0.0.1",
                Optional.of(new ServiceSettings.ExternalDatabase(database.jdbcUrl(), database.user(), database.password())),
                Path.of("target", "unused-data-dir"), 16,
                new ServiceSettings.Kafka(Optional.of(bootstrapServers), topicPrefix, 3,
                        (short) 1),
                stripe, "test-" + UUID.randomUUID());
        return new RunningService(StripeSyncService.start(settings), settings);
    }

    /**
     * The service as a deployment configures it: {@code set} (keys as in {@code application.yaml}, where the
     * environment maps {@code STRIPE_API_BASE} to {@code stripe.api.base} and so on) over the packaged
     * {@code application.yaml}, on this database and the shared test broker (fresh topics unless {@code set}
     * names {@code kafka.topic.prefix}), on a free port of 127.0.0.1.
     */
    public static RunningService configuredBy(TestDatabase database, Map<String, String> set) {
        Map<String, String> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("server.host", "127.0.0.1");
        all.put("db.url", database.jdbcUrl());
        all.put("db.user", database.user());
        all.put("db.password", database.password());
        all.put("stripe.sync.data.dir", Path.of("target", "unused-data-dir").toString());
        all.put("kafka.bootstrap.servers", SharedKafka.bootstrapServers());
        all.put("kafka.topic.prefix", SharedKafka.freshTopicPrefix());
        all.put("kafka.topic.partitions", "3");
        all.putAll(set);
        ServiceSettings settings = ServiceSettings.from(Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(all), ConfigSources.classpath("application.yaml"))
                .build());
        return new RunningService(StripeSyncService.start(settings), settings);
    }

    /** The webhook signing secret the test services accept. */
    public static final String WEBHOOK_SECRET = "whsec_test_stripe_sync";

    /** Syncing with the fake Stripe server with a test key, accepting webhooks signed with {@link #WEBHOOK_SECRET}. */
    public static ServiceSettings.Stripe stripeAt(FakeStripe fake, DeleteMode deleteMode) {
        return stripeAt(fake, deleteMode, StripeSettings.DEFAULT_WRITES_PER_SECOND);
    }

    /** As above with a write budget of {@code writesPerSecond} (reads get the same). */
    public static ServiceSettings.Stripe stripeAt(FakeStripe fake, DeleteMode deleteMode, int writesPerSecond) {
        return new ServiceSettings.Stripe(Optional.of(StripeSettings.of("sk_test_stripe_sync")
                .withApiBase(URI.create(fake.apiBase()))
                .withRates(writesPerSecond, writesPerSecond)), deleteMode,
                Optional.of(StripeWebhookSettings.of(WEBHOOK_SECRET)));
    }

    public ServiceSettings settings() {
        return settings;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    /** Sends the request; every answer from the API is held against the OpenAPI document. */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            URI target = response.request().uri();
            if (target.getPath().startsWith("/api/")) {
                Map<String, String> headers = new HashMap<>();
                response.headers().map().forEach((name, values) -> headers.put(name, values.getFirst()));
                String requestTarget = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
                CONTRACT.assertConforms(response.request().method(), requestTarget, response.statusCode(), headers,
                        response.body());
            }
            return response;
        } catch (HttpTimeoutException e) {
            throw new UncheckedIOException("no answer within 15 s; the threads at that moment: " + dumpThreads(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes every thread of this JVM, virtual ones too, to a file under {@code target/} and returns its path. */
    private static Path dumpThreads() {
        Path file = Path.of("target", "thread-dump-" + UUID.randomUUID() + ".txt").toAbsolutePath();
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a thread dump to " + file, e);
        }
        return file;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Posts a Stripe event to the webhook endpoint, signed now with {@link #WEBHOOK_SECRET}, as Stripe sends it. */
    public HttpResponse<String> postWebhook(byte[] payload) {
        return postWebhook(payload, StripeWebhookSigner.sign(payload, WEBHOOK_SECRET, Instant.now()));
    }

    public HttpResponse<String> postWebhook(byte[] payload, String signature) {
        return send(webhook(payload, signature));
    }

    /**
     * Posts a signed event as careful clients send large bodies: announced ({@code Expect: 100-continue}) and written
     * only once the server agrees. A server refusing it by its size (413) answers before the body is sent, so the
     * answer cannot be lost to the server closing the connection while the client is still writing.
     */
    public HttpResponse<String> postWebhookAnnounced(byte[] payload) {
        String signature = StripeWebhookSigner.sign(payload, WEBHOOK_SECRET, Instant.now());
        return send(webhook(payload, signature).expectContinue(true));
    }

    private HttpRequest.Builder webhook(byte[] payload, String signature) {
        return HttpRequest.newBuilder(uri("/api/stripe-webhook"))
                .header("Content-Type", StripeWebhookSigner.CONTENT_TYPE)
                .header(StripeWebhookSigner.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public HttpResponse<String> putJson(String path, String json, String ifMatch) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").header("If-Match", ifMatch)
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Override
    public void close() {
        service.close();
    }
}
