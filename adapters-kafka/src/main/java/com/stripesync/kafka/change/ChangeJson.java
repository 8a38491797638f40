package com.stripesync.kafka.change;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A customer change as the JSON value of a Kafka record, format version {@value #FORMAT_VERSION}:
 * <pre>{@code
 * {"v":1, "changeId":42, "customerId":"0b7e...", "version":3, "kind":"UPDATED",
 *  "name":"Ada Lovelace", "email":"ada@example.com", "origin":"stripe", "occurredAt":"2026-11-27T08:21:23.123Z"}
 * }</pre>
 * {@code email} is {@code null} for a customer without one; {@code origin} is the external system the change
 * came from, {@code null} for a change made through our own API. Fields this version does not know are
 * ignored (a later version may add some); a different {@code v} is a format this version cannot read.
 */
public final class ChangeJson {

    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Parse errors go to the dead-letter headers; they need no copy of the payload.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private ChangeJson() {
    }

    public static byte[] encode(CustomerChange change) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("v", FORMAT_VERSION);
            json.writeNumberField("changeId", change.id().value());
            json.writeStringField("customerId", change.customerId().toString());
            json.writeNumberField("version", change.version().value());
            json.writeStringField("kind", change.kind().name());
            json.writeStringField("name", change.details().name().value());
            Email email = change.details().email();
            json.writeStringField("email", email == null ? null : email.value());
            SystemName origin = change.origin().system();
            json.writeStringField("origin", origin == null ? null : origin.value());
            json.writeStringField("occurredAt", change.occurredAt().toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write change " + change.id() + " as JSON", e);
        }
        return out.toByteArray();
    }

    /**
     * @throws UndecodableChange when {@code value} is not a change in format version {@value #FORMAT_VERSION}
     */
    public static CustomerChange decode(byte @Nullable [] value) {
        if (value == null) {
            throw new UndecodableChange("the record has no value");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UndecodableChange("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UndecodableChange("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UndecodableChange("not a JSON object");
        }
        JsonNode formatVersion = root.get("v");
        if (formatVersion == null || !formatVersion.isIntegralNumber() || formatVersion.asLong() != FORMAT_VERSION) {
            throw new UndecodableChange("format version 'v' is " + (formatVersion == null ? "missing" : formatVersion.toString())
                    + ", this version reads " + FORMAT_VERSION);
        }
        CustomerId customerId = field(root, "customerId", CustomerId::parse);
        CustomerDetails details = new CustomerDetails(customerId,
                field(root, "name", CustomerName::new),
                optionalField(root, "email", Email::new));
        SystemName origin = optionalField(root, "origin", SystemName::new);
        try {
            return new CustomerChange(
                    new ChangeId(number(root, "changeId")),
                    customerId,
                    new Version(number(root, "version")),
                    field(root, "kind", ChangeKind::valueOf),
                    details,
                    origin == null ? ChangeOrigin.LOCAL : ChangeOrigin.from(origin),
                    field(root, "occurredAt", Instant::parse));
        } catch (UndecodableChange e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UndecodableChange("not a valid change: " + e.getMessage(), e);
        }
    }

    private static long number(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw new UndecodableChange("'" + name + "' is missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new UndecodableChange("'" + name + "' is not a whole number");
        }
        try {
            return node.longValue();
        } catch (RuntimeException e) {
            throw new UndecodableChange("'" + name + "' is not a whole number", e);
        }
    }

    private static <T> T field(JsonNode root, String name, Function<String, T> parse) {
        T value = optionalField(root, name, parse);
        if (value == null) {
            throw new UndecodableChange("'" + name + "' is missing");
        }
        return value;
    }

    private static <T> @Nullable T optionalField(JsonNode root, String name, Function<String, T> parse) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new UndecodableChange("'" + name + "' is not a string");
        }
        try {
            return parse.apply(node.textValue());
        } catch (DateTimeParseException e) {
            throw new UndecodableChange("'" + name + "' is not an ISO-8601 instant", e);
        } catch (RuntimeException e) {
            // Domain messages say what is wrong without repeating the value ("email is not a valid address").
            throw new UndecodableChange("'" + name + "' is invalid: " + e.getMessage(), e);
        }
    }
}
