package com.stripesync.testing.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Stripe-like webhook events for tests and benchmarks, rendered as Stripe sends them: pretty-printed with a
 * two-space indent, members in Stripe's order, and a whole customer object (about 1.5 kB) in
 * {@code data.object}. Sign them with {@link StripeWebhookSigner}.
 *
 * <pre>{@code
 * StripeEvents.Customer ada = StripeEvents.customer().withName("Ada Lovelace").withLocalId(id);
 * byte[] body = StripeEvents.updated(ada, Map.of("name", "Ada King")).withApiVersion("2024-06-20").toBytes();
 * }</pre>
 *
 * Fixtures are immutable values: each {@code with...} returns a changed copy.
 */
public final class StripeEvents {

    /** What events are rendered in unless a fixture says otherwise: the version stripe-java 33.3.0 pins. */
    public static final String DEFAULT_API_VERSION = FakeStripe.DEFAULT_API_VERSION;
    /** The metadata key the service keeps its own customer id under. */
    public static final String LOCAL_ID_METADATA_KEY = "stripe_sync_id";
    /** When fixtures happen unless told otherwise. */
    public static final Instant DEFAULT_TIME = Instant.parse("2026-11-27T09:00:00Z");

    private static final String ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final ObjectWriter PRETTY = new ObjectMapper().writer(stripePrinter());

    private StripeEvents() {
    }

    /** A live customer with a fresh id, a name, an email unique to it, a description, a phone, an address and no metadata. */
    public static Customer customer() {
        return customer(newCustomerId());
    }

    public static Customer customer(String id) {
        String tail = id.substring(id.indexOf('_') + 1).toLowerCase(Locale.ROOT);
        return new Customer(id, DEFAULT_TIME, "Ada Lovelace", "ada." + tail + "@example.com", "Analytical Engine account",
                "+44 20 7946 0018", Map.of(), Address.LONDON, List.of("en-GB"), false);
    }

    /** {@code customer.created}, caused by a Dashboard request. */
    public static Event created(Customer customer) {
        return event("customer.created", customer.json()).withCreated(customer.created());
    }

    /**
     * {@code customer.updated}: {@code data.object} is the customer after the change and
     * {@code data.previous_attributes} the changed members' values before it ({@code Map.of("email", "old@...")};
     * a metadata change as {@code Map.of("metadata", Map.of("stripe_sync_id", ...))}).
     */
    public static Event updated(Customer customer, Map<String, ?> previousAttributes) {
        return event("customer.updated", customer.json()).withPreviousAttributes(previousAttributes);
    }

    /** {@code customer.deleted} carrying the customer as it was when deleted. */
    public static Event deleted(Customer customer) {
        return event("customer.deleted", customer.json());
    }

    /** {@code customer.deleted} carrying only the deleted customer's stub: {@code {id, object, deleted: true}}. */
    public static Event deletedStub(String customerId) {
        Map<String, Object> stub = new LinkedHashMap<>();
        stub.put("id", customerId);
        stub.put("object", "customer");
        stub.put("deleted", true);
        return event("customer.deleted", stub);
    }

    /** An event of any type around the given {@code data.object}, such as {@code invoice.paid}. */
    public static Event event(String type, Map<String, ?> dataObject) {
        return new Event(newEventId(), type, DEFAULT_API_VERSION, DEFAULT_TIME, dataObject, null, false, 1,
                newRequestId(), UUID.randomUUID().toString());
    }

    /** {@code cus_} and 14 letters or digits, as Stripe's. */
    public static String newCustomerId() {
        return "cus_" + random(14);
    }

    /** {@code evt_} and 24 letters or digits, as Stripe's. */
    public static String newEventId() {
        return "evt_" + random(24);
    }

    /** {@code req_} and 14 letters or digits, as Stripe's. */
    public static String newRequestId() {
        return "req_" + random(14);
    }

    /** A customer object as the Stripe API renders it (no payment methods, no discount, no test clock). */
    public record Customer(String id, Instant created, @Nullable String name, @Nullable String email,
                           @Nullable String description, @Nullable String phone, Map<String, String> metadata,
                           @Nullable Address address, List<String> preferredLocales, boolean livemode) {

        public Customer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(created, "created");
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            preferredLocales = List.copyOf(preferredLocales);
        }

        public Customer withName(@Nullable String newName) {
            return new Customer(id, created, newName, email, description, phone, metadata, address, preferredLocales,
                    livemode);
        }

        public Customer withEmail(@Nullable String newEmail) {
            return new Customer(id, created, name, newEmail, description, phone, metadata, address, preferredLocales,
                    livemode);
        }

        /** Our customer id in the metadata, as the service writes it ({@value #LOCAL_ID_METADATA_KEY}). */
        public Customer withLocalId(Object localId) {
            return withMetadata(LOCAL_ID_METADATA_KEY, localId.toString());
        }

        public Customer withMetadata(String key, String value) {
            Map<String, String> changed = new LinkedHashMap<>(metadata);
            changed.put(key, value);
            return new Customer(id, created, name, email, description, phone, changed, address, preferredLocales,
                    livemode);
        }

        public Customer withoutMetadata(String key) {
            Map<String, String> changed = new LinkedHashMap<>(metadata);
            changed.remove(key);
            return new Customer(id, created, name, email, description, phone, changed, address, preferredLocales,
                    livemode);
        }

        public Customer withDescription(@Nullable String newDescription) {
            return new Customer(id, created, name, email, newDescription, phone, metadata, address, preferredLocales,
                    livemode);
        }

        public Customer withPhone(@Nullable String newPhone) {
            return new Customer(id, created, name, email, description, newPhone, metadata, address, preferredLocales,
                    livemode);
        }

        public Customer withAddress(@Nullable Address newAddress) {
            return new Customer(id, created, name, email, description, phone, metadata, newAddress, preferredLocales,
                    livemode);
        }

        public Customer withCreated(Instant newCreated) {
            return new Customer(id, newCreated, name, email, description, phone, metadata, address, preferredLocales,
                    livemode);
        }

        public Customer withLivemode(boolean newLivemode) {
            return new Customer(id, created, name, email, description, phone, metadata, address, preferredLocales,
                    newLivemode);
        }

        /** The object's members in Stripe's order. */
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("object", "customer");
            json.put("address", address == null ? null : address.json());
            json.put("balance", 0);
            json.put("created", created.getEpochSecond());
            json.put("currency", null);
            json.put("default_source", null);
            json.put("delinquent", false);
            json.put("description", description);
            json.put("discount", null);
            json.put("email", email);
            json.put("invoice_prefix", invoicePrefix());
            Map<String, Object> invoiceSettings = new LinkedHashMap<>();
            invoiceSettings.put("custom_fields", null);
            invoiceSettings.put("default_payment_method", null);
            invoiceSettings.put("footer", null);
            invoiceSettings.put("rendering_options", null);
            json.put("invoice_settings", invoiceSettings);
            json.put("livemode", livemode);
            json.put("metadata", new LinkedHashMap<>(metadata));
            json.put("name", name);
            json.put("next_invoice_sequence", 1);
            json.put("phone", phone);
            json.put("preferred_locales", preferredLocales);
            json.put("shipping", null);
            json.put("tax_exempt", "none");
            json.put("test_clock", null);
            return json;
        }

        private String invoicePrefix() {
            String tail = id.substring(Math.max(0, id.length() - 8)).toUpperCase(Locale.ROOT);
            return tail.replaceAll("[^A-Z0-9]", "0");
        }
    }

    /** A postal address as Stripe renders it. */
    public record Address(@Nullable String line1, @Nullable String line2, @Nullable String city,
                          @Nullable String postalCode, @Nullable String state, @Nullable String country) {

        public static final Address LONDON = new Address("12 St James's Square", null, "London", "SW1Y 4LB", null, "GB");

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("city", city);
            json.put("country", country);
            json.put("line1", line1);
            json.put("line2", line2);
            json.put("postal_code", postalCode);
            json.put("state", state);
            return json;
        }
    }

    /**
     * An event as Stripe delivers it to a webhook endpoint.
     *
     * @param apiVersion         the version that rendered {@code data}; null as in events from before 2014-10-31
     * @param previousAttributes {@code data.previous_attributes}, only in {@code *.updated} events
     * @param requestId          {@code request.id}: null for automatic events (no API request caused them)
     * @param idempotencyKey     {@code request.idempotency_key}: the key of the request that caused the event
     */
    public record Event(String id, String type, @Nullable String apiVersion, Instant created,
                        Map<String, ?> dataObject, @Nullable Map<String, ?> previousAttributes, boolean livemode,
                        int pendingWebhooks, @Nullable String requestId, @Nullable String idempotencyKey) {

        public Event {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(created, "created");
            dataObject = Collections.unmodifiableMap(new LinkedHashMap<>(dataObject));
            previousAttributes = previousAttributes == null ? null
                    : Collections.unmodifiableMap(new LinkedHashMap<>(previousAttributes));
        }

        public Event withId(String newId) {
            return new Event(newId, type, apiVersion, created, dataObject, previousAttributes, livemode,
                    pendingWebhooks, requestId, idempotencyKey);
        }

        public Event withApiVersion(@Nullable String newApiVersion) {
            return new Event(id, type, newApiVersion, created, dataObject, previousAttributes, livemode,
                    pendingWebhooks, requestId, idempotencyKey);
        }

        /** Stripe's {@code created} has whole seconds; a finer instant is cut to its second. */
        public Event withCreated(Instant newCreated) {
            return new Event(id, type, apiVersion, newCreated, dataObject, previousAttributes, livemode,
                    pendingWebhooks, requestId, idempotencyKey);
        }

        public Event withPreviousAttributes(@Nullable Map<String, ?> newPreviousAttributes) {
            return new Event(id, type, apiVersion, created, dataObject, newPreviousAttributes, livemode,
                    pendingWebhooks, requestId, idempotencyKey);
        }

        public Event withLivemode(boolean newLivemode) {
            return new Event(id, type, apiVersion, created, dataObject, previousAttributes, newLivemode,
                    pendingWebhooks, requestId, idempotencyKey);
        }

        public Event withPendingWebhooks(int newPendingWebhooks) {
            return new Event(id, type, apiVersion, created, dataObject, previousAttributes, livemode,
                    newPendingWebhooks, requestId, idempotencyKey);
        }

        /** Caused by an API request that carried this idempotency key (the service's own writes carry theirs). */
        public Event causedBy(String newIdempotencyKey) {
            return new Event(id, type, apiVersion, created, dataObject, previousAttributes, livemode,
                    pendingWebhooks, requestId == null ? newRequestId() : requestId, newIdempotencyKey);
        }

        /** An automatic event: {@code request} has a null id and key. */
        public Event automatic() {
            return new Event(id, type, apiVersion, created, dataObject, previousAttributes, livemode,
                    pendingWebhooks, null, null);
        }

        /** The event's members in Stripe's order. */
        public Map<String, Object> json() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("object", dataObject);
            if (previousAttributes != null) {
                data.put("previous_attributes", previousAttributes);
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("id", requestId);
            request.put("idempotency_key", idempotencyKey);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("object", "event");
            json.put("api_version", apiVersion);
            json.put("created", created.getEpochSecond());
            json.put("data", data);
            json.put("livemode", livemode);
            json.put("pending_webhooks", pendingWebhooks);
            json.put("request", request);
            json.put("type", type);
            return json;
        }

        /** The body Stripe would post: pretty-printed JSON with a two-space indent. */
        public String toJson() {
            try {
                return PRETTY.writeValueAsString(json());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@link #toJson()} in UTF-8: the exact bytes to sign and send. */
        public byte[] toBytes() {
            return toJson().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code "key": value}, two-space indents, arrays one element a line, empty ones as {@code []} and {@code {}}. */
    private static DefaultPrettyPrinter stripePrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    private static String random(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
