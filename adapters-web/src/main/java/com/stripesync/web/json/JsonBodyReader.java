package com.stripesync.web.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.stripesync.web.problem.InvalidRequest;
import com.stripesync.web.problem.UnsupportedMediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a request body into a request record, turning every way a body can be wrong into a 400 or 415
 * that names the member at fault. Parser messages are not passed on: they may quote the body.
 */
public final class JsonBodyReader {

    private final ObjectMapper mapper;

    public JsonBodyReader(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    public <T> T read(ServerRequest request, Class<T> type) {
        requireJson(request);
        byte[] body = request.content().hasEntity() ? readAll(request) : new byte[0];
        try (JsonParser parser = mapper.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw InvalidRequest.of("A JSON body is required");
            }
            if (first != JsonToken.START_OBJECT) {
                throw InvalidRequest.of("The body must be a JSON object");
            }
            return mapper.readValue(parser, type);
        } catch (UnrecognizedPropertyException e) {
            throw InvalidRequest.field(path(e).orElse(e.getPropertyName()), "is not a member of this request");
        } catch (MismatchedInputException e) {
            // Past the first token, a mismatch at the root can only be content after the object.
            throw path(e)
                    .map(field -> InvalidRequest.field(field, "has the wrong JSON type" + expected(e)))
                    .orElseGet(() -> InvalidRequest.of("The body has content after its JSON object"));
        } catch (JsonMappingException e) {
            throw path(e)
                    .map(field -> InvalidRequest.field(field, "has a value this API cannot read"))
                    .orElseGet(() -> InvalidRequest.of("The body has a value this API cannot read"));
        } catch (StreamConstraintsException e) {
            throw InvalidRequest.of("The JSON body exceeds a limit of this API (nesting, number or string length)");
        } catch (JsonProcessingException e) {
            throw InvalidRequest.of("The body is not well-formed JSON" + location(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(ServerRequest request) {
        try (InputStream in = request.content().inputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireJson(ServerRequest request) {
        Optional<String> header = request.headers().first(HeaderNames.CONTENT_TYPE);
        if (header.isEmpty()) {
            if (request.content().hasEntity()) {
                throw new UnsupportedMediaType("The body must be sent as application/json");
            }
            return;
        }
        HttpMediaType contentType;
        try {
            contentType = HttpMediaType.create(header.get());
        } catch (RuntimeException e) {
            throw new UnsupportedMediaType("The Content-Type header is not a media type; send application/json");
        }
        // Compared exactly: HttpMediaType.test would let wildcards such as */* pass.
        boolean json = contentType.type().equalsIgnoreCase(MediaTypes.APPLICATION_JSON.type())
                && contentType.subtype().equalsIgnoreCase(MediaTypes.APPLICATION_JSON.subtype());
        boolean utf8 = contentType.charset().map(charset -> charset.toLowerCase(Locale.ROOT))
                .map(charset -> charset.equals("utf-8") || charset.equals("utf8"))
                .orElse(true);
        if (!json || !utf8) {
            throw new UnsupportedMediaType("The body must be sent as application/json in UTF-8");
        }
    }

    /** The member at fault as a JSON path such as {@code name} or {@code items[2].email}. */
    private static Optional<String> path(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? "." + reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", ""));
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "";
        }
        if (target == String.class) {
            return ": expected a string";
        }
        if (Number.class.isAssignableFrom(target) || (target.isPrimitive() && target != boolean.class)) {
            return ": expected a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return ": expected true or false";
        }
        return "";
    }

    private static String location(JsonProcessingException e) {
        if (e.getLocation() == null || e.getLocation().getLineNr() < 1) {
            return "";
        }
        return " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
