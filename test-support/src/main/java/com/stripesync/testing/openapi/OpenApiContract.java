package com.stripesync.testing.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The service's OpenAPI document as a test oracle: holds any HTTP response against what the document
 * says for its path, method and status (status documented, content type, body schema, documented
 * headers). Responses to a path or method the document does not list must be problems that conform to
 * {@code #/components/schemas/Problem}, a 405 among them naming the documented methods in {@code Allow}.
 *
 * <p>Loads the document from the classpath, so a test in any module that has the web adapter on its
 * classpath checks against the very document the server serves.
 */
public final class OpenApiContract {

    public static final String DEFAULT_RESOURCE = "META-INF/openapi.yaml";

    private static final String PROBLEM_SCHEMA = "/components/schemas/Problem";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final String resource;
    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(String resource, JsonNode document) {
        this.resource = resource;
        this.document = document;
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The document at {@value #DEFAULT_RESOURCE} on the classpath. */
    public static OpenApiContract load() {
        return load(DEFAULT_RESOURCE);
    }

    public static OpenApiContract load(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " on the classpath");
            }
            return new OpenApiContract(resource, YAMLMapper.shared().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every documented operation as {@code METHOD /path/{template}}, sorted. */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> METHODS.stream()
                .filter(path.getValue()::has)
                .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return operations;
    }

    /**
     * Fails with every way the response breaks the document.
     *
     * @param requestTarget the request's path, with or without its query
     * @param headers       the response headers (names in any case; one value each is enough)
     * @param body          the response body as text, empty when there was none
     */
    public void assertConforms(String method, String requestTarget, int status, Map<String, String> headers,
                               String body) {
        List<String> violations = violations(method, requestTarget, status, headers, body);
        if (!violations.isEmpty()) {
            throw new AssertionError(method + " " + requestTarget + " answered " + status
                    + ", which breaks the OpenAPI document:\n  - " + String.join("\n  - ", violations)
                    + "\n  body: " + abbreviate(body));
        }
    }

    /** Every way the response breaks the document; empty when it conforms. */
    public List<String> violations(String method, String requestTarget, int status, Map<String, String> headers,
                                   String body) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        String path = requestTarget.split("\\?", 2)[0];
        String verb = method.toLowerCase(Locale.ROOT);
        List<String> violations = new ArrayList<>();
        Optional<String> template = templateFor(path);
        // A response to HEAD has the headers of the GET response but never content (RFC 9110, 9.3.2).
        boolean head = verb.equals("head");
        if (head && !body.isEmpty()) {
            violations.add("a response to HEAD has content");
        }
        if (template.isEmpty() || !document.path("paths").path(template.get()).has(verb)) {
            undocumented(template, status, byName, head ? null : body, violations);
            return violations;
        }
        String responses = "/paths/" + escape(template.get()) + "/" + verb + "/responses";
        if (!document.at(responses).has(String.valueOf(status))) {
            violations.add("status " + status + " is not documented for " + method + " " + template.get());
            return violations;
        }
        String response = resolve(responses + "/" + status);
        checkHeaders(response, byName, violations);
        if (!head) {
            checkContent(response, status, byName, body, violations);
        }
        return violations;
    }

    private void undocumented(Optional<String> template, int status, Map<String, String> headers,
                              @Nullable String body, List<String> violations) {
        if (status < 400) {
            violations.add("an operation the document does not list answered " + status + " instead of a problem");
            return;
        }
        if (body != null) {
            checkProblem(PROBLEM_SCHEMA, status, headers, body, violations);
        }
        if (template.isPresent() && status == 405) {
            Set<String> documented = new TreeSet<>();
            METHODS.stream().filter(document.path("paths").path(template.get())::has)
                    .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT)));
            Set<String> allowed = Optional.ofNullable(headers.get("Allow")).stream()
                    .flatMap(allow -> Arrays.stream(allow.split(",")))
                    .map(String::strip)
                    .filter(method -> !method.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!allowed.equals(documented)) {
                violations.add("Allow should list " + documented + " but was " + headers.get("Allow"));
            }
        }
    }

    private void checkHeaders(String response, Map<String, String> headers, List<String> violations) {
        document.at(response).path("headers").properties().forEach(entry -> {
            String name = entry.getKey();
            String header = resolve(response + "/headers/" + escape(name));
            String value = headers.get(name);
            if (value == null) {
                if (document.at(header).path("required").asBoolean(false)) {
                    violations.add("required header " + name + " is missing");
                }
                return;
            }
            if (document.at(header).has("schema")) {
                schema(header + "/schema").validate(JsonNodeFactory.instance.stringNode(value)).stream()
                        .map(error -> "header " + name + " (" + value + "): " + error.getMessage())
                        .forEach(violations::add);
            }
        });
    }

    private void checkContent(String response, int status, Map<String, String> headers, String body,
                              List<String> violations) {
        JsonNode content = document.at(response).path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!body.isEmpty()) {
                violations.add("the document gives this response no body, but it had one");
            }
            return;
        }
        String mediaType = mediaType(headers).orElse(null);
        if (mediaType == null || !content.has(mediaType)) {
            violations.add("content type " + mediaType + " is not one of " + content.propertyNames());
            return;
        }
        String schema = response + "/content/" + escape(mediaType) + "/schema";
        if (mediaType.equals(PROBLEM_JSON)) {
            checkProblem(schema, status, headers, body, violations);
        } else if (isJson(mediaType)) {
            validate(schema, body, violations);
        }
    }

    private void checkProblem(String schema, int status, Map<String, String> headers, String body,
                              List<String> violations) {
        String mediaType = mediaType(headers).orElse(null);
        if (!PROBLEM_JSON.equals(mediaType)) {
            violations.add("content type should be " + PROBLEM_JSON + " but was " + mediaType);
            return;
        }
        if (validate(schema, body, violations)) {
            int declared = YAMLMapper.shared().readTree(body).path("status").asInt(-1);
            if (declared != status) {
                violations.add("the problem says status " + declared + " but the response is " + status);
            }
        }
    }

    /** Validates a JSON body; false when it is not JSON at all. */
    private boolean validate(String schemaPointer, String body, List<String> violations) {
        List<Error> errors;
        try {
            errors = schema(schemaPointer).validate(body, InputFormat.JSON);
        } catch (RuntimeException e) {
            violations.add("the body is not JSON: " + e.getMessage());
            return false;
        }
        errors.stream().map(error -> "body: " + error.getMessage()).forEach(violations::add);
        return true;
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, key -> registry.getSchema(
                SchemaLocation.of("classpath:" + resource + "#" + fragment(key))));
    }

    /** Follows {@code $ref}s within the document to the pointer of the object itself. */
    private String resolve(String pointer) {
        String current = pointer;
        for (int hops = 0; hops < 10; hops++) {
            JsonNode ref = document.at(current).get("$ref");
            if (ref == null) {
                return current;
            }
            String target = ref.asString();
            if (!target.startsWith("#")) {
                throw new IllegalStateException("Only references within the document are supported: " + target);
            }
            current = target.substring(1);
        }
        throw new IllegalStateException("Reference cycle at " + pointer);
    }

    /** The documented path template a concrete path falls under; literal segments win over parameters. */
    private Optional<String> templateFor(String path) {
        String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (String template : document.path("paths").propertyNames()) {
            String[] parts = template.split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                boolean parameter = parts[i].startsWith("{") && parts[i].endsWith("}");
                matches = parameter ? !segments[i].isEmpty() : parts[i].equals(segments[i]);
                literals += parameter ? 0 : 1;
            }
            if (matches && literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<String> mediaType(Map<String, String> headers) {
        return Optional.ofNullable(headers.get("Content-Type"))
                .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT));
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment (RFC 6901, section 6). */
    private static String fragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (char c : pointer.toCharArray()) {
            if (Character.isLetterOrDigit(c) || "/~-._".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", (int) c));
            }
        }
        return out.toString();
    }

    private static String abbreviate(@Nullable String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "...";
    }
}
