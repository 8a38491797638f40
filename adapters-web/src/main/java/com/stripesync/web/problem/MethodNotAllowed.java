package com.stripesync.web.problem;

import io.helidon.http.Method;
import java.util.List;
import java.util.stream.Collectors;

/** The path exists but not with the request's method. Answered 405 with an {@code Allow} header. */
public final class MethodNotAllowed extends RuntimeException {

    private final List<Method> allowed;

    public MethodNotAllowed(Method requested, List<Method> allowed) {
        super(requested.text() + " is not supported here", null, false, false);
        this.allowed = List.copyOf(allowed);
    }

    public String allowHeader() {
        return allowed.stream().map(Method::text).collect(Collectors.joining(", "));
    }
}
