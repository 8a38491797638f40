package com.stripesync.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.web.customer.CustomerResource;
import com.stripesync.web.json.JsonBodyReader;
import com.stripesync.web.json.JsonResponseWriter;
import com.stripesync.web.json.WebJson;
import com.stripesync.web.openapi.OpenApiFeatures;
import com.stripesync.web.problem.ProblemDirectHandler;
import com.stripesync.web.problem.ProblemErrorHandler;
import com.stripesync.web.problem.ProblemWriter;
import com.stripesync.web.routing.ApiRoute;
import com.stripesync.web.webhook.WebhookResource;
import io.helidon.http.media.MediaContext;
import io.helidon.http.media.jackson.JacksonSupport;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The HTTP adapter's entry points, shared by {@code main} and by tests that start a real server. */
public final class WebApi {

    private WebApi() {
    }

    /**
     * Server-level setup shared by main and @ServerTest: media support (our ObjectMapper), max payload size,
     * TCP_NODELAY on accepted connections, DirectHandlers that answer problem+json, OpenAPI (/openapi) and its UI
     * (/openapi/ui) features.
     *
     * <p>TCP_NODELAY: an answer larger than one write (a page of customers: headers, then the body in chunks) would
     * otherwise wait for the client's delayed acknowledgement of its first segment, 40 ms on Linux, before the rest
     * leaves (Nagle's algorithm); a client reading pages one after the other then waited about 47 ms a page.
     * Features are added, never replaced, so the caller may add its own (health, metrics) before or after.
     */
    public static void configureServer(WebServerConfig.Builder server, WebSettings settings) {
        ObjectMapper mapper = WebJson.objectMapper();
        server.mediaContext(MediaContext.builder()
                        .mediaSupportsDiscoverServices(false)
                        .addMediaSupport(JacksonSupport.create(mapper))
                        .build())
                .maxPayloadSize(settings.maxPayloadBytes())
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                .directHandlers(new ProblemDirectHandler(new ProblemWriter(mapper)).handlers())
                .addFeature(OpenApiFeatures.withUi());
    }

    /**
     * Registers the /api/customers routes, one route per webhook endpoint, and the error mapping.
     *
     * @throws IllegalArgumentException when two endpoints share a path, or a webhook path is a customer path
     */
    public static void routing(HttpRouting.Builder routing, CustomerUseCases useCases, List<WebhookEndpoint> webhooks) {
        ObjectMapper mapper = WebJson.objectMapper();
        CustomerResource customers = customerResource(useCases, mapper);
        List<WebhookResource> webhookResources = webhookResources(webhooks, mapper);
        requireDistinctPaths(customers, webhookResources);
        routing.register(customers);
        webhookResources.forEach(routing::register);
        new ProblemErrorHandler(new ProblemWriter(mapper)).register(routing);
    }

    /** Every operation the API serves: what the OpenAPI document must list, no more and no less. */
    public static List<ApiRoute> routeTable(CustomerUseCases useCases, List<WebhookEndpoint> webhooks) {
        ObjectMapper mapper = WebJson.objectMapper();
        List<ApiRoute> routes = new ArrayList<>(customerResource(useCases, mapper).routes());
        webhookResources(webhooks, mapper).forEach(resource -> routes.addAll(resource.routes()));
        return List.copyOf(routes);
    }

    private static CustomerResource customerResource(CustomerUseCases useCases, ObjectMapper mapper) {
        return new CustomerResource(useCases.register(), useCases.get(), useCases.list(), useCases.update(),
                useCases.delete(), new JsonBodyReader(mapper), new JsonResponseWriter(mapper));
    }

    private static List<WebhookResource> webhookResources(List<WebhookEndpoint> webhooks, ObjectMapper mapper) {
        return webhooks.stream()
                .map(endpoint -> new WebhookResource(endpoint.path(), endpoint.receiver(), new JsonResponseWriter(mapper)))
                .toList();
    }

    /** Each resource registers a 405 fallback for its paths: a path served by two would answer wrongly. */
    private static void requireDistinctPaths(CustomerResource customers, List<WebhookResource> webhooks) {
        Set<String> customerPaths = new HashSet<>();
        customers.routes().forEach(route -> customerPaths.add(route.pathTemplate()));
        Set<String> webhookPaths = new HashSet<>();
        for (WebhookResource webhook : webhooks) {
            for (ApiRoute route : webhook.routes()) {
                if (customerPaths.contains(route.pathTemplate()) || !webhookPaths.add(route.pathTemplate())) {
                    throw new IllegalArgumentException("Two endpoints at " + route.pathTemplate());
                }
            }
        }
    }
}
