package com.stripesync.stripe.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import com.stripesync.stripe.connection.StripeClientFactory;
import com.stripesync.stripe.connection.StripeSettings;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StripeCustomers} under load, over real stripe-java HTTP: what the fake receives per calendar
 * second (by arrival time), as Stripe would count it.
 */
class StripeCustomersRateLimitTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(StripeCustomersRateLimitTest.class.getName());

    private FakeStripe stripe;

    @BeforeEach
    void startStripe() {
        stripe = FakeStripe.start();
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    @Test
    void manyConcurrentWritersNeverPutMoreThanTheLimitIntoASecondYetNearlyReachIt() throws Exception {
        int limit = 25;
        StripeCustomers customers = adapter(settings().withRates(limit, limit));

        callConcurrently(60, 110, () -> customers.create(someone(), newKey()));

        List<Integer> perSecond = perCalendarSecond(stripe.requests(), RecordedRequest::isWrite);
        report("writes at " + limit + "/s, 60 callers", perSecond);
        assertThat(perSecond).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(limit));
        assertThat(averageOfFullSeconds(perSecond)).isGreaterThanOrEqualTo(0.9 * limit);
        assertThat(stripe.customers()).hasSize(110);
    }

    @Test
    void readsHaveABudgetOfTheirOwnThatSaturatedWritesDoNotSlow() throws Exception {
        int writeLimit = 20;
        int readLimit = 25;
        StripeCustomers customers = adapter(settings().withRates(writeLimit, readLimit));
        ExternalId existing = new ExternalId(stripe.seedCustomer("Ada", "ada@example.com", Map.of()).id());

        try (ExecutorService both = Executors.newFixedThreadPool(2)) {
            Future<?> writes = both.submit(() -> callConcurrently(40, 85, () -> customers.create(someone(), newKey())));
            Future<?> reads = both.submit(() -> callConcurrently(40, 105, () -> customers.fetch(existing)));
            writes.get();
            reads.get();
        }

        List<Integer> writesPerSecond = perCalendarSecond(stripe.requests(), RecordedRequest::isWrite);
        List<Integer> readsPerSecond = perCalendarSecond(stripe.requests(), request -> !request.isWrite());
        report("writes at " + writeLimit + "/s beside reads", writesPerSecond);
        report("reads at " + readLimit + "/s beside writes", readsPerSecond);
        assertThat(writesPerSecond).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(writeLimit));
        assertThat(readsPerSecond).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(readLimit));
        assertThat(averageOfFullSeconds(writesPerSecond)).isGreaterThanOrEqualTo(0.9 * writeLimit);
        assertThat(averageOfFullSeconds(readsPerSecond)).isGreaterThanOrEqualTo(0.9 * readLimit);
    }

    @Test
    void writeThatCannotGetATurnWithinTheBoundIsUnavailableAtOnceAndNeverSent() {
        Duration bound = Duration.ofMillis(300);
        StripeCustomers customers = adapter(settings().withRates(1, 1).withMaxWaitForPermit(bound));
        ExternalId id = customers.create(someone(), newKey());

        // At one write a second the next turn is about a second away, unless this cycle was nearly over when
        // the create got its permit: then one more write fits within the bound, and the one after does not.
        List<ExternalSystemUnavailable> refusals = new ArrayList<>();
        for (int attempt = 0; attempt < 3 && refusals.isEmpty(); attempt++) {
            long started = System.nanoTime();
            try {
                customers.update(id, someone(), newKey());
            } catch (ExternalSystemUnavailable refused) {
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound);
                refusals.add(refused);
            }
        }
        int writesSent = stripe.writes().size();

        assertThat(refusals).singleElement().satisfies(refused -> assertThat(refused)
                .hasMessageContaining("1 writes per second").hasMessageContaining("nothing sent"));
        assertThat(catchThrowableOfType(ExternalSystemUnavailable.class, () -> customers.delete(id, newKey())))
                .as("a delete is a write").isNotNull();
        assertThat(customers.fetch(id)).as("reads have their own budget").isPresent();
        assertThat(stripe.writes()).hasSize(writesSent);
        assertThat(writesSent).isBetween(1, 2);
    }

    @Test
    void callerInterruptedWhileWaitingForItsTurnIsUnavailableAndStaysInterrupted() {
        StripeCustomers customers = adapter(settings().withRates(1, 1));
        ExternalId id = customers.create(someone(), newKey());

        // As above: the first update may still find a turn in this cycle; the next one waits about a second.
        ExternalSystemUnavailable refused = null;
        boolean stillInterrupted = false;
        for (int attempt = 0; attempt < 3 && refused == null; attempt++) {
            Thread.currentThread().interrupt();
            try {
                customers.update(id, someone(), newKey());
            } catch (ExternalSystemUnavailable e) {
                refused = e;
            } finally {
                stillInterrupted = Thread.interrupted();
            }
        }

        assertThat(refused).isNotNull().hasMessageContaining("interrupted").hasMessageContaining("nothing sent");
        assertThat(stillInterrupted).isTrue();
    }

    private StripeSettings settings() {
        return StripeSettings.of("sk_test_limits00000000000")
                .withApiBase(URI.create(stripe.apiBase()))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static StripeCustomers adapter(StripeSettings settings) {
        return new StripeCustomers(StripeClientFactory.create(settings), LocalIdLookup.SEARCH, Clock.systemUTC());
    }

    /** {@code calls} calls shared among {@code callers} threads, each calling again as soon as its call returns. */
    private static Void callConcurrently(int callers, int calls, Callable<?> call) throws Exception {
        AtomicInteger remaining = new AtomicInteger(calls);
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Future<Void>> running = IntStream.range(0, callers).mapToObj(i -> pool.submit(() -> {
                while (remaining.getAndDecrement() > 0) {
                    call.call();
                }
                return (Void) null;
            })).toList();
            for (Future<Void> caller : running) {
                caller.get();
            }
        }
        return null;
    }

    /** Requests per calendar second of arrival, from the first second with one to the last, empty ones included. */
    private static List<Integer> perCalendarSecond(List<RecordedRequest> requests, Predicate<RecordedRequest> kind) {
        TreeMap<Long, Integer> counts = new TreeMap<>();
        requests.stream().filter(kind).forEach(r -> counts.merge(r.arrivedAt().getEpochSecond(), 1, Integer::sum));
        return counts.isEmpty() ? List.of() : IntStream.rangeClosed(0, (int) (counts.lastKey() - counts.firstKey()))
                .mapToObj(i -> counts.getOrDefault(counts.firstKey() + i, 0)).toList();
    }

    /** The first and last seconds are partly idle. */
    private static double averageOfFullSeconds(List<Integer> perSecond) {
        assertThat(perSecond).as("at least three full seconds").hasSizeGreaterThanOrEqualTo(5);
        return perSecond.subList(1, perSecond.size() - 1).stream().mapToInt(Integer::intValue).average().orElseThrow();
    }

    private static void report(String what, List<Integer> perSecond) {
        FIGURES.info("Per calendar second, " + what + ": " + perSecond + " (average of the full seconds "
                + String.format("%.2f", perSecond.subList(1, perSecond.size() - 1).stream()
                .mapToInt(Integer::intValue).average().orElse(0)) + ")");
    }

    private static CustomerDetails someone() {
        return new CustomerDetails(CustomerId.generate(), new CustomerName("Ada Lovelace"), new Email("ada@example.com"));
    }

    private static IdempotencyKey newKey() {
        return new IdempotencyKey("test-" + UUID.randomUUID());
    }
}
