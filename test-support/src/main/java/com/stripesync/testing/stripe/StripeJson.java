package com.stripesync.testing.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Renders the fake's objects in the JSON shapes Stripe's v1 API answers with. */
final class StripeJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StripeJson() {
    }

    static Map<String, Object> customer(FakeCustomer customer) {
        if (customer.deleted()) {
            return deletedCustomer(customer.id());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", customer.id());
        json.put("object", "customer");
        json.put("address", null);
        json.put("balance", 0);
        json.put("created", customer.created().getEpochSecond());
        json.put("currency", null);
        json.put("default_source", null);
        json.put("delinquent", false);
        json.put("description", customer.description());
        json.put("discount", null);
        json.put("email", customer.email());
        json.put("invoice_prefix", invoicePrefix(customer.id()));
        json.put("livemode", false);
        json.put("metadata", new LinkedHashMap<>(customer.metadata()));
        json.put("name", customer.name());
        json.put("next_invoice_sequence", 1);
        json.put("phone", customer.phone());
        json.put("preferred_locales", List.of());
        json.put("shipping", null);
        json.put("tax_exempt", "none");
        json.put("test_clock", null);
        return json;
    }

    static Map<String, Object> deletedCustomer(String id) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "customer");
        json.put("deleted", true);
        return json;
    }

    static Map<String, Object> list(String url, List<FakeCustomer> page, boolean hasMore) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("object", "list");
        json.put("data", page.stream().map(StripeJson::customer).toList());
        json.put("has_more", hasMore);
        json.put("url", url);
        return json;
    }

    static Map<String, Object> searchResult(String url, List<FakeCustomer> page, @Nullable String nextPage) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("object", "search_result");
        json.put("data", page.stream().map(StripeJson::customer).toList());
        json.put("has_more", nextPage != null);
        json.put("next_page", nextPage);
        json.put("url", url);
        return json;
    }

    static byte[] bytes(Object json) {
        try {
            return MAPPER.writeValueAsString(Objects.requireNonNull(json)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String invoicePrefix(String id) {
        String tail = id.substring(Math.max(0, id.length() - 8));
        return tail.toUpperCase(Locale.ROOT);
    }
}
