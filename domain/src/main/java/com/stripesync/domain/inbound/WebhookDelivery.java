package com.stripesync.domain.inbound;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A webhook as it arrived: the raw body (signatures cover its exact bytes) and the headers, names in lower case
 * and looked up whatever their case. Neither changes after arrival: the body is copied in and out, the headers
 * are read-only.
 */
public record WebhookDelivery(byte[] body, Map<String, List<String>> headers) {

    public WebhookDelivery {
        body = body.clone();
        TreeMap<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseInsensitive.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = Collections.unmodifiableMap(caseInsensitive);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The first value of a header, ignoring the name's case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name)).filter(values -> !values.isEmpty()).map(List::getFirst);
    }
}
