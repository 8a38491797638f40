package com.stripesync.web.webhook;

import com.stripesync.application.inbound.ReceiveWebhook;
import com.stripesync.application.inbound.WebhookReceipt;
import com.stripesync.domain.inbound.WebhookDelivery;
import com.stripesync.web.json.JsonResponseWriter;
import com.stripesync.web.routing.ApiRoute;
import com.stripesync.web.routing.RouteTable;
import io.helidon.http.Header;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One webhook endpoint: {@code POST path}. The body is read as raw bytes, never parsed here (a signature
 * covers the exact bytes) and never logged; the receiver verifies and queues it without touching the
 * database. Refusals and failures are thrown and answered by the problem handler: 400 for a delivery that
 * does not verify, 503 when it could not be queued or no signing secret is configured. The server's
 * payload limit (1 MiB) answers 413 before the handler runs.
 */
public final class WebhookResource implements HttpService {

    private final String path;
    private final ReceiveWebhook receiver;
    private final JsonResponseWriter responses;

    public WebhookResource(String path, ReceiveWebhook receiver, JsonResponseWriter responses) {
        this.path = Objects.requireNonNull(path, "path");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.responses = Objects.requireNonNull(responses, "responses");
    }

    /** The operations of this resource, as the OpenAPI document lists them. */
    public List<ApiRoute> routes() {
        return List.of(new ApiRoute(Method.POST, path, this::receive));
    }

    @Override
    public void routing(HttpRules rules) {
        RouteTable.register(rules, routes());
    }

    private void receive(ServerRequest request, ServerResponse response) {
        WebhookReceipt receipt = receiver.receive(new WebhookDelivery(body(request), headers(request)));
        responses.send(response, Status.OK_200, WebhookAcknowledgement.from(receipt));
    }

    /**
     * The body's bytes. With a {@code Content-Length} (Stripe sends one; the server refused it with 413 when over the
     * payload limit) they are read into one array of that size; {@code readAllBytes} would take a 16 kB buffer
     * for each 1.5 kB event and copy it. A chunked body is read whole.
     */
    private static byte[] body(ServerRequest request) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        OptionalLong length = request.headers().contentLength();
        try (InputStream in = request.content().inputStream()) {
            return length.isPresent() && length.getAsLong() <= Integer.MAX_VALUE
                    ? in.readNBytes((int) length.getAsLong())
                    : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> headers(ServerRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : request.headers()) {
            headers.put(header.name(), header.allValues());
        }
        return headers;
    }
}
