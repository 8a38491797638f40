package com.stripesync.stripe.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalChangeRejected;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import com.stripesync.stripe.connection.StripeClientFactory;
import com.stripesync.stripe.connection.StripeSettings;
import com.stripesync.testing.stripe.FakeCustomer;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link StripeCustomers} sends to Stripe and how it reads Stripe's answers and failures. */
class StripeCustomersTest {

    private static final String API_KEY = "sk_test_adapter000000000000";

    private FakeStripe stripe;
    private StripeCustomers customers;

    @BeforeEach
    void startStripe() {
        stripe = FakeStripe.start(API_KEY);
        customers = adapter(API_KEY, LocalIdLookup.SEARCH, Duration.ofSeconds(5));
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    @Test
    void createSendsExactlyNameEmailAndOurLocalId() {
        CustomerDetails ada = ada();

        customers.create(ada, newKey());

        assertThat(onlyWrite().params()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "name", "Ada Lovelace",
                "email", "ada@example.com",
                "metadata[stripe_sync_id]", ada.localId().toString()));
    }

    @Test
    void createWithoutEmailNeverSendsAnEmptyString() {
        customers.create(new CustomerDetails(CustomerId.generate(), new CustomerName("No Mail"), null), newKey());

        RecordedRequest create = onlyWrite();
        assertThat(create.params()).doesNotContainKey("email");
        assertThat(create.params().values()).doesNotContain("");
    }

    @Test
    void updateSendsExactlyTheOwnedFieldsToThatCustomer() {
        ExternalId id = customers.create(ada(), newKey());
        stripe.clearRequests();
        CustomerDetails renamed = new CustomerDetails(CustomerId.generate(), new CustomerName("Ada King"),
                new Email("countess@example.com"));

        customers.update(id, renamed, newKey());

        RecordedRequest update = onlyWrite();
        assertThat(update.path()).isEqualTo("/v1/customers/" + id.value());
        assertThat(update.params()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "name", "Ada King",
                "email", "countess@example.com",
                "metadata[stripe_sync_id]", renamed.localId().toString()));
    }

    @Test
    void updateWithoutEmailNeverSendsAnEmptyString() {
        ExternalId id = customers.create(ada(), newKey());
        stripe.clearRequests();

        customers.update(id, new CustomerDetails(CustomerId.generate(), new CustomerName("Ada King"), null), newKey());

        RecordedRequest update = onlyWrite();
        assertThat(update.params()).containsOnlyKeys("name", "metadata[stripe_sync_id]");
        assertThat(update.params().values()).doesNotContain("");
        assertThat(stripe.customer(id.value())).get().extracting(FakeCustomer::email).isEqualTo("ada@example.com");
    }

    @Test
    void updateLeavesMetadataOthersWrote() {
        FakeCustomer seeded = stripe.seedCustomer("Ada", "ada@example.com", Map.of("crm_id", "4711"));

        customers.update(new ExternalId(seeded.id()), ada(), newKey());

        assertThat(stripe.customer(seeded.id())).get().extracting(FakeCustomer::metadata)
                .satisfies(metadata -> assertThat(metadata).containsEntry("crm_id", "4711")
                        .containsKey(StripeCustomers.LOCAL_ID_METADATA_KEY));
    }

    @Test
    void everyWriteCarriesItsIdempotencyKey() {
        IdempotencyKey createKey = newKey();
        IdempotencyKey updateKey = newKey();
        IdempotencyKey deleteKey = newKey();

        ExternalId id = customers.create(ada(), createKey);
        customers.update(id, ada(), updateKey);
        customers.delete(id, deleteKey);

        assertThat(stripe.writes()).extracting(RecordedRequest::method, r -> r.idempotencyKey().orElse(null))
                .containsExactly(
                        tuple("POST", createKey.value()),
                        tuple("POST", updateKey.value()),
                        tuple("DELETE", deleteKey.value()));
    }

    @Test
    void serverErrorAfterApplyingThenRetryUnderTheSameKeyLeavesOneStripeCustomer() {
        CustomerDetails ada = ada();
        IdempotencyKey key = newKey();
        stripe.faults().serverErrorAfterApplyingNext(1);

        assertThatThrownBy(() -> customers.create(ada, key)).isInstanceOf(ExternalSystemUnavailable.class);
        // Stripe saved the 500 under the key and replays it: the retry fails the same way, creating nothing.
        assertThatThrownBy(() -> customers.create(ada, key)).isInstanceOf(ExternalSystemUnavailable.class);

        assertThat(stripe.writes()).hasSize(2).allSatisfy(w -> assertThat(w.idempotencyKey()).contains(key.value()));
        assertThat(stripe.customers()).hasSize(1);
        assertThat(customers.findByLocalId(ada)).map(ExternalCustomer::id)
                .contains(new ExternalId(stripe.customers().getFirst().id()));
    }

    @Test
    void connectionDroppedAfterApplyingIsResentByTheJdkUnderTheSameKey() {
        IdempotencyKey key = newKey();
        stripe.faults().dropConnectionAfterApplyingNext(1);

        ExternalId id = customers.create(ada(), key);

        assertThat(stripe.writes()).hasSize(2).allSatisfy(w -> assertThat(w.idempotencyKey()).contains(key.value()));
        assertThat(stripe.customers()).extracting(FakeCustomer::id).containsExactly(id.value());
    }

    @Test
    void rateLimitIsUnavailableWithStripesRetryAfter() {
        stripe.faults().rateLimitNext(1, Duration.ofSeconds(7));

        ExternalSystemUnavailable failure = catchThrowableOfType(ExternalSystemUnavailable.class,
                () -> customers.create(ada(), newKey()));

        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(stripe.customers()).isEmpty();
    }

    @Test
    void rateLimitWithoutRetryAfterIsUnavailableWithoutADuration() {
        stripe.faults().rateLimitNext(1, null);

        ExternalSystemUnavailable failure = catchThrowableOfType(ExternalSystemUnavailable.class,
                () -> customers.fetch(new ExternalId("cus_Any")));

        assertThat(failure.retryAfter()).isEmpty();
    }

    @Test
    void serverErrorIsUnavailableAndNotRetriedBehindOurBack() {
        stripe.faults().rejectNext(1, 503, "api_error", null, "Service unavailable", null);

        assertThatThrownBy(() -> customers.create(ada(), newKey())).isInstanceOf(ExternalSystemUnavailable.class);

        assertThat(stripe.requests()).hasSize(1);
    }

    @Test
    void badRequestIsRejectedForGoodWithStripesMessage() {
        stripe.faults().rejectNext(1, 400, "invalid_request_error", "email_invalid", "Invalid email address: x@y",
                "email");

        ExternalChangeRejected rejection = catchThrowableOfType(ExternalChangeRejected.class,
                () -> customers.create(ada(), newKey()));

        assertThat(rejection.reason()).isEqualTo("Invalid email address: x@y");
        assertThat(rejection.system()).isEqualTo(StripeCustomers.NAME);
    }

    @Test
    void rejectionReasonNeverShowsAnApiKey() {
        stripe.faults().rejectNext(1, 400, "invalid_request_error", null,
                "Key sk_test_abcdefghijklmnop cannot be used with whsec_abc123 here", null);

        ExternalChangeRejected rejection = catchThrowableOfType(ExternalChangeRejected.class,
                () -> customers.create(ada(), newKey()));

        assertThat(rejection.getMessage()).doesNotContain("sk_test_abcdefghijklmnop").doesNotContain("whsec_abc123")
                .contains("[redacted]");
    }

    @Test
    void refusedApiKeyIsUnavailableWithoutEchoingTheKey() {
        String wrongKey = "sk_test_wrongkey123456789";
        StripeCustomers withWrongKey = adapter(wrongKey, LocalIdLookup.SEARCH, Duration.ofSeconds(5));

        ExternalSystemUnavailable failure = catchThrowableOfType(ExternalSystemUnavailable.class,
                () -> withWrongKey.create(ada(), newKey()));

        assertThat(failure).hasMessageContaining("401").hasNoCause();
        assertThat(failure.getMessage()).doesNotContain(wrongKey).doesNotContain("6789");
    }

    @Test
    void answerSlowerThanTheReadTimeoutIsUnavailable() {
        StripeCustomers impatient = adapter(API_KEY, LocalIdLookup.SEARCH, Duration.ofMillis(300));
        stripe.faults().latency(Duration.ofMillis(1_500));

        long started = System.nanoTime();
        assertThatThrownBy(() -> impatient.fetch(new ExternalId("cus_Slow")))
                .isInstanceOf(ExternalSystemUnavailable.class)
                .hasMessageContaining("SocketTimeoutException");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_400));
    }

    @Test
    void unreachableStripeIsUnavailable() {
        stripe.close();

        assertThatThrownBy(() -> customers.create(ada(), newKey())).isInstanceOf(ExternalSystemUnavailable.class);
    }

    @Test
    void lookupFindsACustomerCreatedMomentsAgoBeforeSearchHasIndexedIt() {
        stripe.searchLag(Duration.ofMinutes(1));
        CustomerDetails ada = ada();
        ExternalId id = customers.create(ada, newKey());
        stripe.seedCustomer("Another Ada", "ada@example.com", Map.of());
        stripe.clearRequests();

        assertThat(customers.findByLocalId(ada)).map(ExternalCustomer::id).contains(id);
        assertThat(stripe.requests()).singleElement().satisfies(list -> {
            assertThat(list.path()).isEqualTo("/v1/customers");
            assertThat(list.params()).containsEntry("email", "ada@example.com");
        });
    }

    @Test
    void lookupWithoutEmailFindsACustomerCreatedMomentsAgoAmongTheRecentlyCreated() {
        stripe.searchLag(Duration.ofMinutes(1));
        CustomerDetails noMail = new CustomerDetails(CustomerId.generate(), new CustomerName("No Mail"), null);
        ExternalId id = customers.create(noMail, newKey());
        stripe.seedCustomer("Someone Else", null, Map.of());
        stripe.clearRequests();
        long windowStart = Instant.now().minus(StripeCustomers.SEARCH_INDEX_ALLOWANCE).getEpochSecond();

        assertThat(customers.findByLocalId(noMail)).map(ExternalCustomer::id).contains(id);
        assertThat(stripe.requests()).singleElement().satisfies(list -> {
            assertThat(list.path()).isEqualTo("/v1/customers");
            assertThat(Long.parseLong(list.params().get("created[gte]"))).isBetween(windowStart - 5, windowStart + 5);
        });
    }

    @Test
    void lookupListedEmptyFallsBackToSearchOnTheLocalIdMetadataKey() {
        CustomerDetails ada = ada();
        ExternalId id = customers.create(ada, newKey());
        CustomerDetails emailChanged = new CustomerDetails(ada.localId(), ada.name(), new Email("countess@example.com"));
        stripe.clearRequests();

        assertThat(customers.findByLocalId(emailChanged)).map(ExternalCustomer::id).contains(id);
        assertThat(stripe.requests()).extracting(RecordedRequest::path)
                .containsExactly("/v1/customers", "/v1/customers/search");
        assertThat(stripe.requests().getLast().params())
                .containsEntry("query", "metadata['stripe_sync_id']:'" + ada.localId() + "'");
    }

    @Test
    void lookupWithoutEmailSearchesForCustomersCreatedBeforeTheListedWindow() {
        CustomerId localId = CustomerId.generate();
        FakeCustomer older = stripe.seedCustomer("Older", null, Map.of("stripe_sync_id", localId.toString()));
        Clock anHourLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        StripeCustomers later = new StripeCustomers(StripeClientFactory.create(settings(API_KEY, Duration.ofSeconds(5))),
                LocalIdLookup.SEARCH, anHourLater);

        assertThat(later.findByLocalId(new CustomerDetails(localId, new CustomerName("Older"), null)))
                .map(ExternalCustomer::id).contains(new ExternalId(older.id()));
        assertThat(stripe.requests()).extracting(RecordedRequest::path)
                .containsExactly("/v1/customers", "/v1/customers/search");
    }

    @Test
    void listScanLookupFindsCustomersSearchHasNotIndexedYet() {
        stripe.searchLag(Duration.ofMinutes(1));
        CustomerDetails ada = ada();
        ExternalId id = customers.create(ada, newKey());
        StripeCustomers scanning = adapter(API_KEY, LocalIdLookup.LIST_SCAN, Duration.ofSeconds(5));
        CustomerDetails emailChanged = new CustomerDetails(ada.localId(), ada.name(), new Email("countess@example.com"));

        assertThat(scanning.findByLocalId(emailChanged)).map(ExternalCustomer::id).contains(id);
    }

    @Test
    void listScanLookupPagesThroughEveryCustomer() {
        CustomerId localId = CustomerId.generate();
        FakeCustomer oldest = stripe.seedCustomer("Oldest", null, Map.of("stripe_sync_id", localId.toString()));
        IntStream.range(0, 150).forEach(i -> stripe.seedCustomer("Filler " + i, null, Map.of()));
        StripeCustomers scanning = adapter(API_KEY, LocalIdLookup.LIST_SCAN, Duration.ofSeconds(5));

        assertThat(scanning.findByLocalId(new CustomerDetails(localId, new CustomerName("Oldest"), new Email("o@example.com"))))
                .map(ExternalCustomer::id).contains(new ExternalId(oldest.id()));
        assertThat(stripe.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/customers");
            assertThat(r.params()).doesNotContainKey("email");
        });
    }

    @Test
    void findByLocalIdPrefersTheOldestOfDuplicates() {
        CustomerId localId = CustomerId.generate();
        FakeCustomer first = stripe.seedCustomer("First", "dup@example.com", Map.of("stripe_sync_id", localId.toString()));
        stripe.seedCustomer("Second", "dup@example.com", Map.of("stripe_sync_id", localId.toString()));

        assertThat(customers.findByLocalId(new CustomerDetails(localId, new CustomerName("First"), new Email("dup@example.com"))))
                .map(ExternalCustomer::id).contains(new ExternalId(first.id()));
        assertThat(customers.findByLocalId(new CustomerDetails(localId, new CustomerName("First"), null)))
                .map(ExternalCustomer::id).contains(new ExternalId(first.id()));
    }

    @Test
    void listAsksForAtMostStripesLargestPage() {
        customers.list(null, 500);

        assertThat(stripe.requests()).singleElement().satisfies(r -> assertThat(r.params()).containsEntry("limit", "100"));
    }

    @Test
    void valuesOurDomainCannotHoldReadAsAbsent() {
        FakeCustomer seeded = stripe.seedCustomer("  ", "not an email", Map.of("stripe_sync_id", "not-a-uuid"));

        assertThat(customers.fetch(new ExternalId(seeded.id())))
                .contains(new ExternalCustomer(new ExternalId(seeded.id()), null, null, null));
    }

    @Test
    void oneClientServesConcurrentCallsInParallel() throws Exception {
        stripe.faults().latency(Duration.ofMillis(300));
        try (ExecutorService callers = Executors.newFixedThreadPool(6)) {
            List<Future<ExternalId>> created = IntStream.range(0, 6)
                    .mapToObj(i -> callers.submit(() -> customers.create(ada(), newKey())))
                    .toList();
            for (Future<ExternalId> future : created) {
                future.get();
            }
        }

        assertThat(stripe.customers()).hasSize(6);
        assertThat(stripe.maxConcurrentRequests()).isGreaterThan(1);
    }

    private StripeCustomers adapter(String apiKey, LocalIdLookup lookup, Duration readTimeout) {
        return new StripeCustomers(StripeClientFactory.create(settings(apiKey, readTimeout)), lookup, Clock.systemUTC());
    }

    private StripeSettings settings(String apiKey, Duration readTimeout) {
        return StripeSettings.of(apiKey)
                .withApiBase(URI.create(stripe.apiBase()))
                .withTimeouts(Duration.ofSeconds(2), readTimeout);
    }

    private RecordedRequest onlyWrite() {
        assertThat(stripe.writes()).hasSize(1);
        return stripe.writes().getFirst();
    }

    private static CustomerDetails ada() {
        return new CustomerDetails(CustomerId.generate(), new CustomerName("Ada Lovelace"), new Email("ada@example.com"));
    }

    private static IdempotencyKey newKey() {
        return new IdempotencyKey("test-" + UUID.randomUUID());
    }
}
