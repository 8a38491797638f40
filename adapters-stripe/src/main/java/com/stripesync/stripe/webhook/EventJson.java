package com.stripesync.stripe.webhook;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.ExternalEventKind;
import com.stripesync.domain.link.ExternalId;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Stripe event read as a JSON tree: the envelope ({@code id}, {@code type}, {@code created},
 * {@code request}) and the members of {@code data.object} the sync reads ({@link #readCustomerChange}), or only
 * the envelope ({@link #readEnvelope}); other members are skipped. Members are looked up by name and their JSON
 * types checked, so it reads events of any API version; stripe-java's typed model only deserializes
 * {@code data.object} for the version the SDK pins.
 */
final class EventJson {

    /** The event types the core handles, and what each says happened to the customer. */
    static final Map<String, ExternalEventKind> CUSTOMER_CHANGES = Map.of(
            "customer.created", ExternalEventKind.CREATED,
            "customer.updated", ExternalEventKind.UPDATED,
            "customer.deleted", ExternalEventKind.DELETED);

    private static final TypeAdapter<JsonElement> TREE = new Gson().getAdapter(JsonElement.class);
    /** The members {@link #readEnvelope} keeps (see {@link #keeping}). */
    private static final Map<String, Map<String, ?>> ENVELOPE = keeping("object", "id", "customer");
    /** The envelope and the customer's details applied locally (see {@code StripeEventParser}). */
    private static final Map<String, Map<String, ?>> CUSTOMER_CHANGE =
            keeping("object", "id", "customer", "name", "email", "metadata");

    private static final int MAX_TYPE_LENGTH = 255;
    /** Year 9999: later is no Stripe timestamp. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final JsonObject root;
    private final EventId id;
    private final String type;

    private EventJson(JsonObject root, EventId id, String type) {
        this.root = root;
        this.id = id;
        this.type = type;
    }

    /**
     * Reads the envelope and the customer's details the sync applies ({@code name}, {@code email}, our id in
     * {@code metadata}); every other member is skipped, still checked as well-formed JSON, never turned into a tree.
     * A payload without a string {@code id} and {@code type}, or whose {@code object} is not an event, is not a
     * Stripe event.
     *
     * @throws MalformedEvent when the payload is not UTF-8 JSON, not an object, or not a Stripe event
     */
    static EventJson readCustomerChange(byte[] payload) {
        return of(parseObject(utf8(payload), CUSTOMER_CHANGE));
    }

    /**
     * As {@link #readCustomerChange}, keeping only what the envelope's methods read ({@code id}, {@code type},
     * {@code object}, {@code created}, {@code request}, and {@code data.object}'s {@code object}, {@code id} and
     * {@code customer}). The webhook endpoint reads each event this way.
     */
    static EventJson readEnvelope(String payload) {
        return of(parseObject(payload, ENVELOPE));
    }

    private static EventJson of(JsonObject root) {
        String id = string(root, "id").filter(value -> !value.isBlank() && value.length() <= EventId.MAX_LENGTH)
                .orElseThrow(() -> new MalformedEvent("The body is not a Stripe event: it has no id"));
        String type = string(root, "type").filter(value -> !value.isBlank() && value.length() <= MAX_TYPE_LENGTH)
                .orElseThrow(() -> new MalformedEvent("The body is not a Stripe event: it has no type"));
        if (root.has("object") && !string(root, "object").filter(EventJson::namesAnEvent).isPresent()) {
            throw new MalformedEvent("The body is not a Stripe event: its object is not an event");
        }
        return new EventJson(root, new EventId(id), type);
    }

    /**
     * Decodes strictly: malformed UTF-8 would be replaced while decoding, and the text signed would no longer
     * be the bytes received.
     */
    static String utf8(byte[] payload) {
        if (isAscii(payload)) {
            // ASCII is UTF-8 as it is: no decoder, no intermediate char buffer (Stripe escapes little else).
            return new String(payload, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEvent("The body is not UTF-8 text");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    EventId id() {
        return id;
    }

    String type() {
        return type;
    }

    /** What happened to the customer, for the event types the core handles; empty for every other type. */
    Optional<ExternalEventKind> customerChange() {
        return Optional.ofNullable(CUSTOMER_CHANGES.get(type));
    }

    /**
     * The customer a {@code customer.*} event is about: the id of {@code data.object} when it is a customer,
     * else its {@code customer} member ({@code customer.subscription.updated} carries a subscription). Empty
     * for other types and when the event names no customer.
     */
    Optional<ExternalId> subject() {
        if (!type.startsWith("customer.")) {
            return Optional.empty();
        }
        Optional<JsonObject> object = dataObject();
        if (object.isEmpty()) {
            return Optional.empty();
        }
        boolean isCustomer = string(object.get(), "object").map("customer"::equals).orElse(false);
        return string(object.get(), isCustomer ? "id" : "customer").flatMap(EventJson::externalId);
    }

    /**
     * {@code data.object} of a customer event: a customer (its {@code object}, when present, says so) with an id.
     *
     * @throws MalformedEvent when it is missing, not a customer, or has no usable id
     */
    JsonObject customerObject() {
        JsonObject object = dataObject().orElseThrow(() -> new MalformedEvent("The event has no data.object"));
        if (object.has("object") && !string(object, "object").map("customer"::equals).orElse(false)) {
            throw new MalformedEvent("The event's data.object is not a customer");
        }
        return object;
    }

    /** @throws MalformedEvent when the customer has no id our domain can hold */
    ExternalId customerId(JsonObject customer) {
        return string(customer, "id").flatMap(EventJson::externalId)
                .orElseThrow(() -> new MalformedEvent("The event's customer has no id"));
    }

    /**
     * When the event happened: {@code created}, in whole seconds.
     *
     * @throws MalformedEvent when it is missing or not a whole number of seconds since the epoch
     */
    Instant created() {
        JsonElement created = root.get("created");
        if (created instanceof JsonPrimitive number && number.isNumber() && number.getAsString().length() <= 20) {
            try {
                long seconds = new BigDecimal(number.getAsString()).longValueExact();
                if (seconds >= 0 && seconds <= MAX_EPOCH_SECOND) {
                    return Instant.ofEpochSecond(seconds);
                }
            } catch (ArithmeticException | NumberFormatException notWhole) {
                // reported below
            }
        }
        throw new MalformedEvent("The event has no valid created time");
    }

    /**
     * The idempotency key of the API request that caused the event. API versions before 2017-05-25 render
     * {@code request} as a bare request id, without the key.
     */
    Optional<String> requestIdempotencyKey() {
        return member(root, "request").filter(JsonElement::isJsonObject)
                .flatMap(request -> string(request.getAsJsonObject(), "idempotency_key"))
                .filter(key -> !key.isEmpty());
    }

    /** A string member; empty when it is absent, JSON {@code null} or of another JSON type. */
    static Optional<String> string(JsonObject object, String name) {
        return member(object, name)
                .filter(value -> value instanceof JsonPrimitive primitive && primitive.isString())
                .map(JsonElement::getAsString);
    }

    /** An object member; empty when it is absent, JSON {@code null} or of another JSON type. */
    static Optional<JsonObject> object(JsonObject object, String name) {
        return member(object, name).filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject);
    }

    private Optional<JsonObject> dataObject() {
        return object(root, "data").flatMap(data -> object(data, "object"));
    }

    private static Optional<JsonElement> member(JsonObject object, String name) {
        return Optional.ofNullable(object.get(name)).filter(value -> !value.isJsonNull());
    }

    private static Optional<ExternalId> externalId(String value) {
        return value.isBlank() || value.length() > ExternalId.MAX_LENGTH ? Optional.empty() : Optional.of(new ExternalId(value));
    }

    /** {@code event} for snapshot events; {@code v2.core.event} for thin events, which are events too. */
    private static boolean namesAnEvent(String object) {
        return object.equals("event") || object.endsWith(".event");
    }

    /**
     * The envelope's members and these members of {@code data.object}, each whole: each name maps to the members
     * kept inside it, an empty map meaning the whole value. Members of a value that is not an object are kept whole;
     * the others are skipped.
     */
    private static Map<String, Map<String, ?>> keeping(String... dataObjectMembers) {
        Map<String, Map<String, ?>> dataObject = new HashMap<>();
        for (String member : dataObjectMembers) {
            dataObject.put(member, Map.of());
        }
        return Map.of("id", Map.of(), "type", Map.of(), "object", Map.of(), "created", Map.of(), "request", Map.of(),
                "data", Map.of("object", Map.copyOf(dataObject)));
    }

    @SuppressWarnings("unchecked")
    private static JsonElement readKeeping(JsonReader reader, Map<String, ?> kept) throws IOException {
        if (kept.isEmpty() || reader.peek() != JsonToken.BEGIN_OBJECT) {
            return TREE.read(reader);
        }
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            Map<String, ?> inside = (Map<String, ?>) kept.get(name);
            if (inside == null) {
                reader.skipValue();
            } else {
                object.add(name, readKeeping(reader, inside));
            }
        }
        reader.endObject();
        return object;
    }

    private static JsonObject parseObject(String payload, Map<String, ?> kept) {
        JsonReader reader = new JsonReader(new StringReader(payload));
        reader.setStrictness(Strictness.STRICT);
        JsonElement tree;
        try {
            tree = readKeeping(reader, kept);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedEvent("The body is not well-formed JSON: there is content after the value");
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new MalformedEvent("The body is not well-formed JSON");
        }
        if (tree == null || !tree.isJsonObject()) {
            throw new MalformedEvent("The body is not a JSON object");
        }
        return Objects.requireNonNull(tree.getAsJsonObject());
    }
}
