package com.stripesync.testing.stripe;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An error the fake answers, shaped like Stripe's {@code {"error": {"type", "code", "message", "param"}}}.
 * Thrown inside request handling and turned into a response once.
 */
final class StripeApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final @Nullable String code;
    private final @Nullable String param;

    StripeApiError(int status, String type, @Nullable String code, String message, @Nullable String param) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    static StripeApiError invalidRequest(String code, String message, @Nullable String param) {
        return new StripeApiError(400, "invalid_request_error", code, message, param);
    }

    static StripeApiError noSuchCustomer(String id, String param) {
        return new StripeApiError(404, "invalid_request_error", "resource_missing", "No such customer: '" + id + "'",
                param);
    }

    static StripeApiError unknownParameter(String name) {
        return invalidRequest("parameter_unknown", "Received unknown parameter: " + name, name);
    }

    static StripeApiError serverError() {
        return new StripeApiError(500, "api_error", null,
                "An unknown error occurred while processing your request.", null);
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        error.put("message", getMessage());
        if (param != null) {
            error.put("param", param);
        }
        return Map.of("error", error);
    }
}
