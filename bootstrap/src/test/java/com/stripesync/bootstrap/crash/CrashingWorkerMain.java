package com.stripesync.bootstrap.crash;

import com.stripesync.application.sync.ChangeSynchronizer;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.application.sync.RetryPolicy;
import com.stripesync.application.sync.Sleeper;
import com.stripesync.application.sync.SyncChange;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalCustomerPage;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.IdempotencyKey;
import com.stripesync.kafka.worker.ChangeWorker;
import com.stripesync.kafka.KafkaSettings;
import com.stripesync.persistence.DatabaseSettings;
import com.stripesync.persistence.PostgresDatabase;
import com.stripesync.stripe.connection.StripeClientFactory;
import com.stripesync.stripe.connection.StripeSettings;
import com.stripesync.stripe.customer.StripeCustomers;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A Stripe worker in a child JVM that dies like {@code kill -9} ({@link Runtime#halt}: no shutdown hook,
 * no offset commit) at a chosen point of handling its first change:
 * {@code after-stripe-write} (Stripe applied the create, nothing recorded) or {@code after-recording}
 * (the outcome committed, the Kafka offset not).
 *
 * <p>Arguments: jdbcUrl user password bootstrapServers topicPrefix instanceId stripeApiBase crashPoint
 */
public final class CrashingWorkerMain {

    /** Where the child reports its progress (its log file). */
    private static final Logger FIGURES = Logger.getLogger(CrashingWorkerMain.class.getName());

    private CrashingWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String crashPoint = args[7];
        PostgresDatabase database = PostgresDatabase.open(
                new DatabaseSettings(args[0], args[1], args[2], 2, Duration.ofSeconds(5)));
        KafkaSettings kafka = new KafkaSettings(args[3], args[4], 3, (short) 1, args[5]);
        StripeCustomers stripe = new StripeCustomers(StripeClientFactory.create(
                StripeSettings.of("sk_test_stripe_sync").withApiBase(URI.create(args[6]))));
        ExternalSystemPort system = crashPoint.equals("after-stripe-write") ? new HaltAfterCreate(stripe) : stripe;
        ChangeSynchronizer synchronizer = new ChangeSynchronizer(system, database.customerCatalog(),
                database.externalLinks(), database.unitOfWork(), DeleteMode.DELETE, RetryPolicy.standard(),
                Sleeper.REAL, Clock.systemUTC());
        SyncChange sync = crashPoint.equals("after-recording")
                ? change -> {
                    synchronizer.sync(change);
                    // The outcome is committed; the worker has not committed the offset yet.
                    die("after recording the outcome");
                    throw new AssertionError("unreachable");
                }
                : synchronizer;
        ChangeWorker.start(kafka, stripe.name(), sync);
        FIGURES.info("crashing worker ready: " + crashPoint);
        Thread.sleep(Duration.ofMinutes(5));
    }

    private static void die(String where) {
        FIGURES.info("halting " + where);
        Runtime.getRuntime().halt(137);
    }

    private record HaltAfterCreate(ExternalSystemPort delegate) implements ExternalSystemPort {

        @Override
        public SystemName name() {
            return delegate.name();
        }

        @Override
        public ExternalId create(CustomerDetails details, IdempotencyKey key) {
            delegate.create(details, key);
            die("after the Stripe create");
            throw new AssertionError("unreachable");
        }

        @Override
        public void update(ExternalId id, CustomerDetails details, IdempotencyKey key) {
            delegate.update(id, details, key);
        }

        @Override
        public void delete(ExternalId id, IdempotencyKey key) {
            delegate.delete(id, key);
        }

        @Override
        public Optional<ExternalCustomer> fetch(ExternalId id) {
            return delegate.fetch(id);
        }

        @Override
        public Optional<ExternalCustomer> findByLocalId(CustomerDetails details) {
            return delegate.findByLocalId(details);
        }

        @Override
        public ExternalCustomerPage list(@Nullable String pageToken, int limit) {
            return delegate.list(pageToken, limit);
        }
    }
}
