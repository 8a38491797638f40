package com.stripesync.web.routing;

import com.stripesync.web.problem.MethodNotAllowed;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers a list of routes, and after them, for each of their paths, a fallback that answers other
 * methods with 405 and the {@code Allow} header (Helidon's routing alone would answer 404).
 */
public final class RouteTable {

    private RouteTable() {
    }

    public static void register(HttpRules rules, List<ApiRoute> routes) {
        Map<String, List<Method>> methodsByPath = new LinkedHashMap<>();
        for (ApiRoute route : routes) {
            rules.route(route.method(), route.pathTemplate(), route.handler());
            methodsByPath.computeIfAbsent(route.pathTemplate(), path -> new ArrayList<>()).add(route.method());
        }
        methodsByPath.forEach((path, allowed) -> {
            List<Method> methods = List.copyOf(allowed);
            rules.any(path, (request, response) -> {
                throw new MethodNotAllowed(request.prologue().method(), methods);
            });
        });
    }
}
