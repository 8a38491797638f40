package com.stripesync.testing.stripe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Stripe's v1 customer endpoints over the {@link CustomerStore}: create, update, retrieve, delete, list
 * and search. Answers a JSON object or throws {@link StripeApiError}. Idempotency, faults and
 * authentication are handled around it, by {@link FakeStripe}.
 */
final class CustomerEndpoints {

    static final String PATH = "/v1/customers";
    private static final String SEARCH_PATH = PATH + "/search";
    private static final Pattern ONE_CUSTOMER = Pattern.compile(Pattern.quote(PATH) + "/([^/]+)");

    private static final Set<String> WRITE_FIELDS = Set.of("name", "email", "description", "phone");
    private static final Set<String> LIST_PARAMS = Set.of("limit", "starting_after", "email", "created",
            "created[gt]", "created[gte]", "created[lt]", "created[lte]");
    private static final Set<String> SEARCH_PARAMS = Set.of("query", "limit", "page");
    private static final Pattern SIMPLE_EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_METADATA_KEYS = 50;
    private static final int MAX_METADATA_KEY_LENGTH = 40;
    private static final int MAX_METADATA_VALUE_LENGTH = 500;
    private static final String PAGE_PREFIX = "fakepage_";

    private final CustomerStore store;
    private final Clock clock;
    private final Supplier<Duration> searchLag;

    CustomerEndpoints(CustomerStore store, Clock clock, Supplier<Duration> searchLag) {
        this.store = store;
        this.clock = clock;
        this.searchLag = searchLag;
    }

    static boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    Map<String, Object> handle(String method, String path, Map<String, String> params) {
        if (path.equals(PATH)) {
            return switch (method) {
                case "POST" -> create(params);
                case "GET" -> list(params);
                default -> throw unrecognized(method, path);
            };
        }
        if (path.equals(SEARCH_PATH) && method.equals("GET")) {
            return search(params);
        }
        Matcher one = ONE_CUSTOMER.matcher(path);
        if (one.matches()) {
            String id = one.group(1);
            return switch (method) {
                case "GET" -> retrieve(id, params);
                case "POST" -> update(id, params);
                case "DELETE" -> delete(id, params);
                default -> throw unrecognized(method, path);
            };
        }
        throw unrecognized(method, path);
    }

    static StripeApiError unrecognized(String method, String path) {
        return new StripeApiError(404, "invalid_request_error", null,
                "Unrecognized request URL (" + method + ": " + path + ").", null);
    }

    private Map<String, Object> create(Map<String, String> params) {
        requireKnown(params, WRITE_FIELDS, true);
        Map<String, String> metadata = metadata(params, Map.of());
        FakeCustomer created = store.create(text(params, "name"), email(params), text(params, "description"),
                text(params, "phone"), metadata);
        return StripeJson.customer(created);
    }

    private Map<String, Object> update(String id, Map<String, String> params) {
        requireKnown(params, WRITE_FIELDS, true);
        FakeCustomer current = live(id);
        FakeCustomer changed = current.withDetails(
                params.containsKey("name") ? text(params, "name") : current.name(),
                params.containsKey("email") ? email(params) : current.email(),
                params.containsKey("description") ? text(params, "description") : current.description(),
                params.containsKey("phone") ? text(params, "phone") : current.phone(),
                metadata(params, current.metadata()),
                clock.instant());
        return StripeJson.customer(store.replace(changed));
    }

    private Map<String, Object> retrieve(String id, Map<String, String> params) {
        requireKnown(params, Set.of(), false);
        return StripeJson.customer(store.find(id).orElseThrow(() -> StripeApiError.noSuchCustomer(id, "id")));
    }

    private Map<String, Object> delete(String id, Map<String, String> params) {
        requireKnown(params, Set.of(), false);
        FakeCustomer current = live(id);
        store.replace(current.asDeleted(clock.instant()));
        return StripeJson.deletedCustomer(id);
    }

    private Map<String, Object> list(Map<String, String> params) {
        requireKnown(params, LIST_PARAMS, false);
        int limit = limit(params);
        List<FakeCustomer> candidates = liveNewestFirst();
        String startingAfter = params.get("starting_after");
        if (startingAfter != null) {
            FakeCustomer anchor = store.find(startingAfter)
                    .orElseThrow(() -> StripeApiError.invalidRequest("resource_missing",
                            "No such customer: '" + startingAfter + "'", "starting_after"));
            candidates = candidates.stream().filter(c -> c.sequence() < anchor.sequence()).toList();
        }
        String email = params.get("email");
        if (email != null) {
            candidates = candidates.stream().filter(c -> email.equals(c.email())).toList();
        }
        candidates = candidates.stream().filter(c -> createdWithin(c, params)).toList();
        List<FakeCustomer> page = candidates.stream().limit(limit).toList();
        return StripeJson.list(PATH, page, candidates.size() > limit);
    }

    private Map<String, Object> search(Map<String, String> params) {
        requireKnown(params, SEARCH_PARAMS, false);
        String text = params.get("query");
        if (text == null || text.isBlank()) {
            throw StripeApiError.invalidRequest("parameter_missing", "Missing required param: query.", "query");
        }
        SearchQuery query = SearchQuery.parse(text);
        int limit = limit(params);
        int offset = pageOffset(params.get("page"));
        Instant indexedUntil = clock.instant().minus(searchLag.get());
        List<FakeCustomer> matches = liveNewestFirst().stream()
                .filter(c -> !c.modified().isAfter(indexedUntil))
                .filter(query::matches)
                .toList();
        List<FakeCustomer> page = matches.stream().skip(offset).limit(limit).toList();
        int next = offset + page.size();
        return StripeJson.searchResult(SEARCH_PATH, page, next < matches.size() ? PAGE_PREFIX + next : null);
    }

    /** Stripe's {@code created} filter: an exact time or bounds, in Unix seconds. */
    private static boolean createdWithin(FakeCustomer customer, Map<String, String> params) {
        long created = customer.created().getEpochSecond();
        return matches(params, "created", bound -> created == bound)
                && matches(params, "created[gt]", bound -> created > bound)
                && matches(params, "created[gte]", bound -> created >= bound)
                && matches(params, "created[lt]", bound -> created < bound)
                && matches(params, "created[lte]", bound -> created <= bound);
    }

    private static boolean matches(Map<String, String> params, String name, LongPredicate test) {
        String text = params.get(name);
        if (text == null) {
            return true;
        }
        try {
            return test.test(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw StripeApiError.invalidRequest("parameter_invalid_integer", "Invalid integer: " + text, name);
        }
    }

    private FakeCustomer live(String id) {
        return store.find(id).filter(c -> !c.deleted()).orElseThrow(() -> StripeApiError.noSuchCustomer(id, "id"));
    }

    private List<FakeCustomer> liveNewestFirst() {
        return store.all().stream()
                .filter(c -> !c.deleted())
                .sorted(Comparator.comparingLong(FakeCustomer::sequence).reversed())
                .toList();
    }

    /** Stripe answers 400 parameter_unknown for any parameter an endpoint does not define. */
    private static void requireKnown(Map<String, String> params, Set<String> allowed, boolean metadataAllowed) {
        for (String name : params.keySet()) {
            boolean known = allowed.contains(name)
                    || name.startsWith("expand[")
                    || (metadataAllowed && (name.equals("metadata") || name.startsWith("metadata[")));
            if (!known) {
                throw StripeApiError.unknownParameter(name);
            }
        }
    }

    /** Absent and empty both mean "no value": Stripe unsets a field sent as an empty string. */
    private static @Nullable String text(Map<String, String> params, String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static @Nullable String email(Map<String, String> params) {
        String email = text(params, "email");
        if (email != null && !SIMPLE_EMAIL.matcher(email).matches()) {
            throw StripeApiError.invalidRequest("email_invalid", "Invalid email address: " + email, "email");
        }
        return email;
    }

    /**
     * Applies {@code metadata[key]=value} pairs onto {@code current}: an empty value removes the key, and
     * {@code metadata=} (empty) removes them all, as Stripe does.
     */
    private static Map<String, String> metadata(Map<String, String> params, Map<String, String> current) {
        Map<String, String> metadata = new LinkedHashMap<>(current);
        if ("".equals(params.get("metadata"))) {
            metadata.clear();
        }
        params.forEach((name, value) -> {
            if (!name.startsWith("metadata[")) {
                return;
            }
            if (!name.endsWith("]")) {
                throw StripeApiError.invalidRequest("parameter_invalid_string", "Invalid metadata key: " + name, name);
            }
            String key = name.substring("metadata[".length(), name.length() - 1);
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH || key.contains("[") || key.contains("]")) {
                throw StripeApiError.invalidRequest("parameter_invalid_string",
                        "Metadata keys are 1-" + MAX_METADATA_KEY_LENGTH + " characters without square brackets", name);
            }
            if (value.length() > MAX_METADATA_VALUE_LENGTH) {
                throw StripeApiError.invalidRequest("parameter_invalid_string",
                        "Metadata values can have up to " + MAX_METADATA_VALUE_LENGTH + " characters", name);
            }
            if (value.isEmpty()) {
                metadata.remove(key);
            } else {
                metadata.put(key, value);
            }
        });
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw StripeApiError.invalidRequest("parameter_invalid_string",
                    "Metadata can have up to " + MAX_METADATA_KEYS + " keys", "metadata");
        }
        return metadata;
    }

    private static int limit(Map<String, String> params) {
        String text = params.get("limit");
        if (text == null) {
            return 10;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw StripeApiError.invalidRequest("parameter_invalid_integer", "Invalid integer: " + text, "limit");
        }
        if (limit < 1 || limit > 100) {
            throw StripeApiError.invalidRequest("parameter_invalid_integer",
                    "This value must be between 1 and 100.", "limit");
        }
        return limit;
    }

    private static int pageOffset(@Nullable String page) {
        if (page == null) {
            return 0;
        }
        try {
            if (page.startsWith(PAGE_PREFIX)) {
                return Integer.parseInt(page.substring(PAGE_PREFIX.length()));
            }
        } catch (NumberFormatException e) {
            // falls through to the answer for any token the fake never handed out
        }
        throw StripeApiError.invalidRequest("parameter_invalid_string", "Invalid page token: " + page, "page");
    }
}
