package com.stripesync.stripe.customer;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.StripeCollection;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.service.CustomerService;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.InvalidCustomerException;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.domain.sync.ExternalCustomerNotFound;
import com.stripesync.domain.sync.ExternalCustomerPage;
import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import com.stripesync.domain.sync.IdempotencyKey;
import com.stripesync.stripe.connection.StripeFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Our customers as Stripe customers, through the one shared {@link StripeClient}.
 *
 * <p>We own three fields of a Stripe customer and write nothing else: {@code name}, {@code email} and
 * our local id in the metadata key {@value #LOCAL_ID_METADATA_KEY}. An absent email is not sent (Stripe
 * clears a field sent as an empty string); other metadata keys on the customer are left alone, since
 * Stripe merges metadata. Every write carries the {@link IdempotencyKey} as {@code Idempotency-Key}.
 *
 * <p>Customers are read from the SDK's typed {@link Customer}: answers to our own requests come in the
 * API version the SDK pins and sends, so the typed model always fits. (Webhook events may carry other
 * versions; that is the inbound adapter's concern.) A value Stripe holds but our domain cannot (an email
 * Stripe accepted but {@link Email} refuses, a malformed local id) reads as absent.
 *
 * <p>Pacing is the client's: one built by {@link com.stripesync.stripe.connection.StripeClientFactory}
 * sends every request within its write and read rates, and a call that cannot get a turn in time fails as
 * {@link ExternalSystemUnavailable} without a request.
 */
public final class StripeCustomers implements ExternalSystemPort {

    public static final SystemName NAME = new SystemName("stripe");
    /** The metadata key our local customer id is stored under on each Stripe customer. */
    public static final String LOCAL_ID_METADATA_KEY = "stripe_sync_id";
    /** Stripe's largest page. */
    public static final int MAX_PAGE_SIZE = 100;
    /**
     * How far back a lookup without email lists customers by creation time before it trusts search, whose
     * index lags by about a minute (Stripe: "may be delayed during outages"). Costs one request per 100
     * customers created in that time.
     */
    public static final Duration SEARCH_INDEX_ALLOWANCE = Duration.ofMinutes(10);

    @FunctionalInterface
    private interface StripeCall<T> {
        T call() throws StripeException;
    }

    private final CustomerService customers;
    private final LocalIdLookup lookup;
    private final Clock clock;
    private final StripeFailures failures;

    public StripeCustomers(StripeClient client) {
        this(client, LocalIdLookup.SEARCH, Clock.systemUTC());
    }

    public StripeCustomers(StripeClient client, LocalIdLookup lookup, Clock clock) {
        this.customers = Objects.requireNonNull(client, "client").v1().customers();
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failures = new StripeFailures(NAME, clock);
    }

    @Override
    public SystemName name() {
        return NAME;
    }

    @Override
    public ExternalId create(CustomerDetails details, IdempotencyKey key) {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder()
                .setName(details.name().value())
                .putMetadata(LOCAL_ID_METADATA_KEY, details.localId().toString());
        if (details.email() != null) {
            params.setEmail(details.email().value());
        }
        Customer created = call(() -> customers.create(params.build(), writeOptions(key)));
        return new ExternalId(created.getId());
    }

    @Override
    public void update(ExternalId id, CustomerDetails details, IdempotencyKey key) {
        CustomerUpdateParams.Builder params = CustomerUpdateParams.builder()
                .setName(details.name().value())
                .putMetadata(LOCAL_ID_METADATA_KEY, details.localId().toString());
        if (details.email() != null) {
            params.setEmail(details.email().value());
        }
        try {
            customers.update(id.value(), params.build(), writeOptions(key));
        } catch (StripeException e) {
            throw StripeFailures.isResourceMissing(e) ? new ExternalCustomerNotFound(NAME, id) : failures.translate(e);
        }
    }

    /**
     * Stripe ignores idempotency keys on DELETE and answers 404 to deleting a customer that is already
     * deleted, just as to one that never existed; a retrieve tells them apart (a deleted customer is
     * still retrievable, as a stub).
     */
    @Override
    public void delete(ExternalId id, IdempotencyKey key) {
        try {
            customers.delete(id.value(), writeOptions(key));
        } catch (StripeException e) {
            if (!StripeFailures.isResourceMissing(e)) {
                throw failures.translate(e);
            }
            Customer existing = retrieve(id).orElseThrow(() -> new ExternalCustomerNotFound(NAME, id));
            if (!Boolean.TRUE.equals(existing.getDeleted())) {
                throw new ExternalSystemUnavailable(NAME, "Stripe answered 404 to deleting a customer it still holds");
            }
        }
    }

    @Override
    public Optional<ExternalCustomer> fetch(ExternalId id) {
        return retrieve(id).filter(StripeCustomers::isLive).map(StripeCustomers::toExternal);
    }

    /**
     * See {@link LocalIdLookup} for the two ways and their trade-offs. With {@link LocalIdLookup#SEARCH}, a
     * customer created moments ago is found at once, before Stripe's search has indexed it: first among the
     * customers listed by the email about to be written (lists are consistent; Stripe matches the email
     * exactly, and we send it exactly as we hold it), or, without an email, among the customers created in
     * the last {@link #SEARCH_INDEX_ALLOWANCE}; only then by search. Left uncovered: a customer whose email
     * changed within search's lag of an unrecorded create (the snapshot written carries the new email); the
     * lookup then misses it until search catches up.
     */
    @Override
    public Optional<ExternalCustomer> findByLocalId(CustomerDetails details) {
        CustomerId localId = details.localId();
        return switch (lookup) {
            case SEARCH -> oldestCarrying(localId, listed(recentCandidates(details), localId))
                    .or(() -> oldestCarrying(localId, search(localId)));
            case LIST_SCAN -> oldestCarrying(localId, listed(params -> { }, localId));
        };
    }

    /** The list filter for customers that may have been created moments ago with these details. */
    private Consumer<CustomerListParams.Builder> recentCandidates(CustomerDetails details) {
        Email email = details.email();
        if (email != null) {
            return params -> params.setEmail(email.value());
        }
        long since = clock.instant().minus(SEARCH_INDEX_ALLOWANCE).getEpochSecond();
        return params -> params.setCreated(CustomerListParams.Created.builder().setGte(since).build());
    }

    /** Newest first, as Stripe lists; the page token is the last customer's id ({@code starting_after}). */
    @Override
    public ExternalCustomerPage list(@Nullable String pageToken, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        StripeCollection<Customer> page = listPage(pageToken, Math.min(limit, MAX_PAGE_SIZE));
        List<Customer> data = page.getData();
        String next = Boolean.TRUE.equals(page.getHasMore()) && !data.isEmpty() ? data.getLast().getId() : null;
        return new ExternalCustomerPage(data.stream().filter(StripeCustomers::isLive).map(StripeCustomers::toExternal)
                .toList(), next);
    }

    private List<Customer> search(CustomerId localId) {
        // A canonical UUID is hex digits and dashes: nothing in it needs quoting in the search language.
        CustomerSearchParams params = CustomerSearchParams.builder()
                .setQuery("metadata['" + LOCAL_ID_METADATA_KEY + "']:'" + localId + "'")
                .setLimit((long) MAX_PAGE_SIZE)
                .build();
        return call(() -> customers.search(params)).getData();
    }

    /** The customers carrying {@code localId} among those the filter lists, paging through all of them. */
    private List<Customer> listed(Consumer<CustomerListParams.Builder> filter, CustomerId localId) {
        List<Customer> matches = new ArrayList<>();
        String after = null;
        StripeCollection<Customer> page;
        do {
            CustomerListParams.Builder params = CustomerListParams.builder().setLimit((long) MAX_PAGE_SIZE);
            filter.accept(params);
            if (after != null) {
                params.setStartingAfter(after);
            }
            page = call(() -> customers.list(params.build()));
            page.getData().stream().filter(c -> localId.equals(localIdOf(c))).forEach(matches::add);
            after = page.getData().isEmpty() ? null : page.getData().getLast().getId();
        } while (Boolean.TRUE.equals(page.getHasMore()) && after != null);
        return matches;
    }

    /**
     * The oldest live one of {@code newestFirst} that carries {@code localId}. Stripe's created is in whole
     * seconds; within one second, the newest-first order Stripe lists in (and, we assume, searches in)
     * tells the age.
     */
    private static Optional<ExternalCustomer> oldestCarrying(CustomerId localId, List<Customer> newestFirst) {
        return newestFirst.reversed().stream()
                .filter(StripeCustomers::isLive)
                .filter(c -> localId.equals(localIdOf(c)))
                .sorted(Comparator.comparingLong(StripeCustomers::createdOf))
                .findFirst()
                .map(StripeCustomers::toExternal);
    }

    private StripeCollection<Customer> listPage(@Nullable String startingAfter, int limit) {
        CustomerListParams.Builder params = CustomerListParams.builder().setLimit((long) limit);
        if (startingAfter != null) {
            params.setStartingAfter(startingAfter);
        }
        return call(() -> customers.list(params.build()));
    }

    private Optional<Customer> retrieve(ExternalId id) {
        try {
            return Optional.of(customers.retrieve(id.value()));
        } catch (StripeException e) {
            if (StripeFailures.isResourceMissing(e)) {
                return Optional.empty();
            }
            throw failures.translate(e);
        }
    }

    private <T> T call(StripeCall<T> call) {
        try {
            return call.call();
        } catch (StripeException e) {
            throw failures.translate(e);
        }
    }

    private static RequestOptions writeOptions(IdempotencyKey key) {
        return RequestOptions.builder().setIdempotencyKey(key.value()).build();
    }

    private static boolean isLive(Customer customer) {
        return !Boolean.TRUE.equals(customer.getDeleted());
    }

    private static ExternalCustomer toExternal(Customer customer) {
        return new ExternalCustomer(new ExternalId(customer.getId()),
                valid(customer.getName(), CustomerName::new),
                valid(customer.getEmail(), Email::new),
                localIdOf(customer));
    }

    private static @Nullable CustomerId localIdOf(Customer customer) {
        Map<String, String> metadata = customer.getMetadata();
        return metadata == null ? null : valid(metadata.get(LOCAL_ID_METADATA_KEY), CustomerId::parse);
    }

    private static long createdOf(Customer customer) {
        return customer.getCreated() == null ? Long.MAX_VALUE : customer.getCreated();
    }

    private static <T> @Nullable T valid(@Nullable String value, Function<String, T> parse) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return parse.apply(value);
        } catch (InvalidCustomerException e) {
            return null;
        }
    }
}
