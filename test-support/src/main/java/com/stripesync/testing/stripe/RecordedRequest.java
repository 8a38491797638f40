package com.stripesync.testing.stripe;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request as the fake received it, before any fault or check applied.
 *
 * @param method  the HTTP method, upper case
 * @param path    the path without query, e.g. {@code /v1/customers/cus_123}
 * @param headers the request headers; look them up with {@link #header(String)} (case-insensitive)
 * @param params  the decoded parameters, from the form body of a POST or the query of a GET/DELETE,
 *                keyed as sent: {@code metadata[stripe_sync_id]}, {@code expand[0]}
 * @param arrivedAt when the request arrived
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers,
                              Map<String, String> params, Instant arrivedAt) {

    public RecordedRequest {
        TreeMap<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseInsensitive.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(caseInsensitive);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The first value of the named header, case-insensitive. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public Optional<String> idempotencyKey() {
        return header("Idempotency-Key");
    }

    /** True for the methods that change state: POST and DELETE. */
    public boolean isWrite() {
        return method.equals("POST") || method.equals("DELETE");
    }
}
