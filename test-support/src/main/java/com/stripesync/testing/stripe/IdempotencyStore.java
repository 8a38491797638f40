package com.stripesync.testing.stripe;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stripe's idempotency layer for POSTs: the first executed answer under a key is saved, with the
 * request it answered; a later request with the key gets that answer again if it is the same request
 * (method, path, parameters), and 400 {@code idempotency_error} otherwise. Answers that never started
 * executing (validation errors, rate limits) are not saved, so retrying them is safe.
 */
final class IdempotencyStore {

    record Saved(String method, String path, Map<String, String> params, Reply reply, String requestId) {

        Saved {
            params = Map.copyOf(params);
        }

        boolean answers(RecordedRequest request) {
            return method.equals(request.method()) && path.equals(request.path()) && params.equals(request.params());
        }
    }

    private final Map<String, Saved> saved = new ConcurrentHashMap<>();

    Optional<Saved> find(String key) {
        return Optional.ofNullable(saved.get(key));
    }

    void save(String key, RecordedRequest request, Reply reply, String requestId) {
        saved.put(key, new Saved(request.method(), request.path(), request.params(), reply, requestId));
    }

    /** Forgets every key, as Stripe does 24 hours after first use. */
    void clear() {
        saved.clear();
    }
}
