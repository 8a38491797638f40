package com.stripesync.bootstrap.service;

import com.stripesync.bootstrap.StripeSyncService;
import com.stripesync.bootstrap.config.ServiceSettings;
import com.stripesync.testing.openapi.OpenApiContract;
import com.stripesync.testing.postgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The fully wired service in this JVM, on a free port, over a given test database. */
final class RunningService implements AutoCloseable {

    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StripeSyncService service;

    private RunningService(StripeSyncService service) {
        this.service = service;
    }

    static RunningService over(TestDatabase database) {
        ServiceSettings settings = new ServiceSettings(0, "127.0.0.1",
                Optional.of(new ServiceSettings.ExternalDatabase(database.jdbcUrl(), database.user(), database.password())),
                Path.of("target", "unused-data-dir"), 16);
        return new RunningService(StripeSyncService.start(settings));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    /** Sends the request; every answer from the API is held against the OpenAPI document. */
    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            URI target = response.request().uri();
            if (target.getPath().startsWith("/api/")) {
                Map<String, String> headers = new HashMap<>();
                response.headers().map().forEach((name, values) -> headers.put(name, values.getFirst()));
                String requestTarget = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
                CONTRACT.assertConforms(response.request().method(), requestTarget, response.statusCode(), headers,
                        response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> putJson(String path, String json, String ifMatch) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").header("If-Match", ifMatch)
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Override
    public void close() {
        service.close();
    }
}
