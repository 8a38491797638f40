package com.stripesync.bootstrap;

import com.stripesync.application.customer.CustomerService;
import com.stripesync.application.inbound.ExternalChangeApplier;
import com.stripesync.application.inbound.GroupedInboundHandler;
import com.stripesync.application.inbound.WebhookIntake;
import com.stripesync.application.sync.ChangeSynchronizer;
import com.stripesync.application.sync.OutboxRelay;
import com.stripesync.application.sync.RetryPolicy;
import com.stripesync.application.sync.Sleeper;
import com.stripesync.bootstrap.config.InvalidSetting;
import com.stripesync.bootstrap.config.ServiceSettings;
import com.stripesync.bootstrap.database.DatabaseHealthCheck;
import com.stripesync.bootstrap.database.EmbeddedDatabase;
import com.stripesync.bootstrap.sync.RelayLoop;
import com.stripesync.bootstrap.sync.WebhookHealthCheck;
import com.stripesync.domain.link.SystemName;
import com.stripesync.embedded.kafka.EmbeddedKafkaBroker;
import com.stripesync.embedded.kafka.EmbeddedKafkaSettings;
import com.stripesync.kafka.worker.InboundWorker;
import com.stripesync.kafka.worker.WorkerConcurrency;
import com.stripesync.kafka.inbound.KafkaInboundEventQueue;
import com.stripesync.kafka.worker.ChangeWorker;
import com.stripesync.kafka.publish.KafkaChangePublisher;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.kafka.topic.KafkaTopicAdmin;
import com.stripesync.persistence.DatabaseSettings;
import com.stripesync.persistence.DatabaseUnavailable;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.stripe.connection.StripeClientFactory;
import com.stripesync.stripe.customer.StripeCustomers;
import com.stripesync.stripe.webhook.StripeEventParser;
import com.stripesync.stripe.webhook.StripeWebhookVerifier;
import com.stripesync.web.CustomerUseCases;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import com.stripesync.web.WebhookEndpoint;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The running service: its database and Kafka (external, or embedded by default), the catalog API, the
 * outbox relay and one sync worker per configured external system.
 */
public final class StripeSyncService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StripeSyncService.class.getName());
    private static final Duration RELAY_IDLE_PAUSE = Duration.ofMillis(20);
    private static final Duration RELAY_FAILURE_PAUSE = Duration.ofSeconds(1);
    private static final int RELAY_BATCH = 200;
    /** Inbound events in flight, and the most applied in one transaction: one poll's worth (Kafka's default 500). */
    private static final int INBOUND_BATCH = 500;
    /**
     * Three inbound batches may be applied at once: each one alternates between computing, waiting on
     * PostgreSQL and waiting for its commit to reach the disk; with two, a draining backlog kept the two cores
     * only about 60% busy. A customer's events still apply in order (its lane hands in the next one only after the
     * last one's outcome). Interleaved 32-sender runs, six pairs: 4,524 events/s end to end (median) against
     * 4,112 with two, 0.26-0.29 ms CPU per event against 0.28-0.36.
     */
    private static final int INBOUND_CONCURRENT_BATCHES = 3;

    /** Everything started, stopped in the reverse order. */
    private final Deque<AutoCloseable> started;
    private final WebServer server;

    private StripeSyncService(Deque<AutoCloseable> started, WebServer server) {
        this.started = started;
        this.server = server;
    }

    /**
     * Starts everything or nothing: a failure part-way stops what already started.
     *
     * @throws InvalidSetting when the configuration (or what it points at) prevents starting
     */
    public static StripeSyncService start(ServiceSettings settings) {
        return start(settings, Role.ALL);
    }

    /**
     * Starts what {@code role} runs, everything or nothing.
     *
     * @throws InvalidSetting when the configuration (or what it points at) prevents starting
     */
    public static StripeSyncService start(ServiceSettings settings, Role role) {
        if (role != Role.ALL && (settings.database().isEmpty() || settings.kafka().bootstrapServers().isEmpty())) {
            throw new InvalidSetting("'" + role.name().toLowerCase(Locale.ROOT) + "' processes share one PostgreSQL and "
                    + "one Kafka: set DB_URL and KAFKA_BOOTSTRAP_SERVERS (the embedded defaults belong to a single 'all' process)");
        }
        if (role == Role.WORKER && settings.stripe().api().isEmpty()) {
            throw new InvalidSetting("STRIPE_SECRET_KEY is required by a 'worker' process: it is what the workers call Stripe with");
        }
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            PostgresDatabase database = startDatabase(settings, started);
            KafkaSettings kafka = startKafka(settings, started);
            SystemName stripe = StripeCustomers.NAME;
            KafkaTopicAdmin.ensureTopics(kafka, List.of(stripe));
            Clock clock = Clock.systemUTC();

            KafkaChangePublisher publisher = KafkaChangePublisher.create(kafka);
            started.push(publisher);
            started.push(RelayLoop.start(new OutboxRelay(database.changeOutbox(), publisher, database.unitOfWork(),
                    RELAY_BATCH), RELAY_IDLE_PAUSE, RELAY_FAILURE_PAUSE));
            if (role.runsWorkers()) {
                startStripeWorkers(settings, kafka, database, clock, started);
            }
            if (!role.servesApi()) {
                WebServer server = startHealthServer(settings, database);
                started.push(server::stop);
                return new StripeSyncService(started, server);
            }

            KafkaInboundEventQueue inboundQueue = KafkaInboundEventQueue.create(kafka);
            started.push(inboundQueue);
            WebhookIntake stripeWebhooks = new WebhookIntake(stripe,
                    settings.stripe().webhooks().map(StripeWebhookVerifier::new), inboundQueue);
            if (settings.stripe().webhooks().isEmpty()) {
                LOG.warning("STRIPE_WEBHOOK_SECRET is not set: POST /api/stripe-webhook refuses every event "
                        + "(nothing unverified is ever accepted)");
            }

            CustomerService customers = new CustomerService(database.customerCatalog(), database.changeOutbox(),
                    database.externalLinks(), database.unitOfWork(), Set.of(stripe), clock);
            WebServer server = startServer(settings, database, customers,
                    List.of(new WebhookEndpoint(WebhookEndpoint.STRIPE_PATH, stripeWebhooks)),
                    new WebhookHealthCheck(stripeWebhooks, settings.stripe().webhooks().isPresent()));
            started.push(server::stop);
            return new StripeSyncService(started, server);
        } catch (RuntimeException e) {
            stopAll(started);
            throw e;
        }
    }

    private static PostgresDatabase startDatabase(ServiceSettings settings, Deque<AutoCloseable> started) {
        DatabaseSettings databaseSettings;
        if (settings.database().isPresent()) {
            ServiceSettings.ExternalDatabase external = settings.database().get();
            databaseSettings = new DatabaseSettings(external.url(), external.user(), external.password(),
                    settings.dbPoolSize(), ServiceSettings.DB_CONNECT_TIMEOUT);
        } else {
            EmbeddedDatabase embedded = EmbeddedDatabase.start(settings.dataDir());
            started.push(embedded);
            LOG.info("Embedded mode: PostgreSQL on port " + embedded.port() + " with data in "
                    + embedded.dataDirectory() + " (set DB_URL to use an external database)");
            databaseSettings = new DatabaseSettings(embedded.jdbcUrl(), embedded.user(), null,
                    settings.dbPoolSize(), ServiceSettings.DB_CONNECT_TIMEOUT);
        }
        try {
            PostgresDatabase database = PostgresDatabase.open(databaseSettings);
            started.push(database);
            return database;
        } catch (DatabaseUnavailable e) {
            throw new InvalidSetting((settings.database().isPresent() ? "DB_URL: " : "embedded PostgreSQL: ")
                    + e.getMessage(), e);
        }
    }

    private static KafkaSettings startKafka(ServiceSettings settings, Deque<AutoCloseable> started) {
        ServiceSettings.Kafka kafka = settings.kafka();
        String bootstrapServers;
        if (kafka.bootstrapServers().isPresent()) {
            bootstrapServers = kafka.bootstrapServers().get();
        } else {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                    EmbeddedKafkaSettings.forService(settings.dataDir().resolve("kafka")));
            started.push(broker);
            bootstrapServers = broker.bootstrapServers();
            LOG.info("Embedded mode: Kafka broker at " + bootstrapServers + " with data in "
                    + settings.dataDir().resolve("kafka") + " (set KAFKA_BOOTSTRAP_SERVERS to use an external cluster)");
        }
        return new KafkaSettings(bootstrapServers, kafka.topicPrefix(), kafka.partitions(), kafka.replicationFactor(),
                settings.instanceId());
    }

    /** The outbound worker (local changes to Stripe) and the inbound one (webhook events to the catalog). */
    private static void startStripeWorkers(ServiceSettings settings, KafkaSettings kafka, PostgresDatabase database,
                                           Clock clock, Deque<AutoCloseable> started) {
        if (settings.stripe().api().isEmpty()) {
            LOG.warning("STRIPE_SECRET_KEY is not set: the sync with Stripe is paused. Local changes wait as PENDING "
                    + "and accepted webhooks wait in Kafka; both are applied once the service runs with a key");
            return;
        }
        StripeCustomers stripe = new StripeCustomers(StripeClientFactory.create(settings.stripe().api().get()));
        ChangeSynchronizer synchronizer = new ChangeSynchronizer(stripe, database.customerCatalog(),
                database.externalLinks(), database.unitOfWork(), settings.stripe().deleteMode(),
                RetryPolicy.standard(), Sleeper.REAL, clock);
        started.push(ChangeWorker.start(kafka, stripe.name(), synchronizer));
        ExternalChangeApplier applier = new ExternalChangeApplier(new StripeEventParser(), stripe,
                database.customerCatalog(), database.externalLinks(), database.changeOutbox(), database.inboundLedger(),
                database.inboundBatchStore(), database.unitOfWork(), Set.of(stripe.name()), clock);
        // Up to a poll's worth of events in flight, applied together in batches of whatever is queued.
        started.push(InboundWorker.start(kafka, stripe.name(),
                new GroupedInboundHandler(applier, INBOUND_BATCH, INBOUND_CONCURRENT_BATCHES),
                new WorkerConcurrency(INBOUND_BATCH)));
        LOG.info("Sync with Stripe running (" + settings.stripe().api().get() + ", delete mode "
                + settings.stripe().deleteMode().name().toLowerCase(Locale.ROOT) + ")");
    }

    private static WebServer startServer(ServiceSettings settings, PostgresDatabase database, CustomerService customers,
                                         List<WebhookEndpoint> webhooks, HealthCheck... checks) {
        CustomerUseCases useCases = new CustomerUseCases(customers, customers, customers, customers, customers);
        WebServerConfig.Builder server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false);
        WebApi.configureServer(server, WebSettings.defaults());
        server.addFeature(ObserveFeature.just(HealthObserver.builder()
                .details(true)
                .addCheck(new DatabaseHealthCheck(database))
                .addChecks(checks)
                .build()));
        server.routing(routing -> WebApi.routing(routing, useCases, webhooks));
        return server.build().start();
    }

    private static WebServer startHealthServer(ServiceSettings settings, PostgresDatabase database) {
        return WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .addFeature(ObserveFeature.just(HealthObserver.builder()
                        .details(true)
                        .addCheck(new DatabaseHealthCheck(database))
                        .build()))
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    /** Stops taking requests, then the worker and the relay, then Kafka and the database. */
    @Override
    public void close() {
        stopAll(started);
    }

    private static void stopAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warning("Failed to stop " + resource.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
