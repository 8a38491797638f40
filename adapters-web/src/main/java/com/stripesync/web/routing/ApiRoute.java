package com.stripesync.web.routing;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import java.util.Objects;

/**
 * One operation of the API: a method on a path template ({@code /api/customers/{id}}, written as in
 * the OpenAPI document) and the handler that answers it.
 */
public record ApiRoute(Method method, String pathTemplate, Handler handler) {

    public ApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (!pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("A path template starts with /: " + pathTemplate);
        }
    }

    /** The operation as the OpenAPI document names it: {@code GET /api/customers/{id}}. */
    public String operation() {
        return method.text() + " " + pathTemplate;
    }
}
