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
import io.helidon.http.media.MediaContext;
import io.helidon.http.media.jackson.JacksonSupport;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;

/** The HTTP adapter's entry points, shared by {@code main} and by tests that start a real server. */
public final class WebApi {

    private WebApi() {
    }

    /**
     * Server-level setup shared by main and @ServerTest: media support (our ObjectMapper), max payload size,
     * DirectHandlers that answer problem+json, OpenAPI (/openapi) and its UI (/openapi/ui) features.
     * Features are added, never replaced, so the caller may add its own (health, metrics) before or after.
     */
    public static void configureServer(WebServerConfig.Builder server, WebSettings settings) {
        ObjectMapper mapper = WebJson.objectMapper();
        server.mediaContext(MediaContext.builder()
                        .mediaSupportsDiscoverServices(false)
                        .addMediaSupport(JacksonSupport.create(mapper))
                        .build())
                .maxPayloadSize(settings.maxPayloadBytes())
                .directHandlers(new ProblemDirectHandler(new ProblemWriter(mapper)).handlers())
                .addFeature(OpenApiFeatures.withUi());
    }

    /** Registers the /api/customers routes and the error mapping. */
    public static void routing(HttpRouting.Builder routing, CustomerUseCases useCases) {
        ObjectMapper mapper = WebJson.objectMapper();
        routing.register(customerResource(useCases, mapper));
        new ProblemErrorHandler(new ProblemWriter(mapper)).register(routing);
    }

    /** Every operation the API serves: what the OpenAPI document must list, no more and no less. */
    public static List<ApiRoute> routeTable(CustomerUseCases useCases) {
        return customerResource(useCases, WebJson.objectMapper()).routes();
    }

    private static CustomerResource customerResource(CustomerUseCases useCases, ObjectMapper mapper) {
        return new CustomerResource(useCases.register(), useCases.get(), useCases.list(), useCases.update(),
                useCases.delete(), new JsonBodyReader(mapper), new JsonResponseWriter(mapper));
    }
}
