package com.stripesync.web;

import com.stripesync.testing.openapi.OpenApiContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Talks HTTP to a test server and holds every response against the OpenAPI document before a test
 * sees it. Uses the JDK client (which adds no Content-Type of its own), and a raw socket for requests
 * no client would send.
 */
public final class ApiClient {

    public static final String JSON = "application/json";

    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final int port;

    public ApiClient(int port) {
        this.port = port;
    }

    public Reply get(String target, String... headers) {
        return send("GET", target, null, null, headers);
    }

    public Reply post(String target, String json, String... headers) {
        return send("POST", target, JSON, json, headers);
    }

    public Reply put(String target, String json, String... headers) {
        return send("PUT", target, JSON, json, headers);
    }

    public Reply delete(String target, String... headers) {
        return send("DELETE", target, null, null, headers);
    }

    /** Any request; {@code headers} are name, value pairs. */
    public Reply send(String method, String target, @Nullable String contentType, @Nullable String body,
                      String... headers) {
        return exchange(method, target, contentType, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), headers);
    }

    /** A POST of these exact bytes, as a webhook sender makes it; {@code headers} are name, value pairs. */
    public Reply postBytes(String target, String contentType, byte[] body, String... headers) {
        return exchange("POST", target, contentType, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    private Reply exchange(String method, String target, @Nullable String contentType, HttpRequest.BodyPublisher body,
                       String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(10))
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> responseHeaders.put(name, String.join(", ", values)));
        return checked(method, target, new Reply(response.statusCode(), responseHeaders, response.body()));
    }

    /**
     * Writes {@code request} as it is to a new connection and reads the answer until the server closes it.
     * {@code method} and {@code target} say which operation the answer is held against.
     */
    public Reply raw(String method, String target, String request) {
        return raw(method, target, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public Reply raw(String method, String target, byte[] request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            // The server may answer (413, 400) and close before it has read all of the request: write
            // on the side and read the answer at once, so neither waits for the other.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException refusedMidway) {
                    // expected when the server stops reading; the answer tells what happened
                }
            });
            Reply reply = parse(readResponse(socket.getInputStream()));
            writer.join(Duration.ofSeconds(10));
            return checked(method, target, reply);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply checked(String method, String target, Reply reply) {
        CONTRACT.assertConforms(method, target, reply.status(), reply.headers(), reply.body());
        return reply;
    }

    /** Reads one response: its head, then Content-Length bytes (or up to the end of the connection). */
    private static byte[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] soFar = head.toByteArray();
            int n = soFar.length;
            if (n >= 4 && soFar[n - 4] == '\r' && soFar[n - 3] == '\n' && soFar[n - 2] == '\r' && soFar[n - 1] == '\n') {
                break;
            }
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        long length = headText.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
                .findFirst()
                .orElse(-1);
        byte[] body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(head.toByteArray());
        all.write(body);
        return all.toByteArray();
    }

    private static Reply parse(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        int endOfHead = text.indexOf("\r\n\r\n");
        if (endOfHead < 0) {
            throw new AssertionError("No complete HTTP response: " + text);
        }
        String[] lines = text.substring(0, endOfHead).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip(),
                    (first, next) -> first + ", " + next);
        }
        return new Reply(status, headers, text.substring(endOfHead + 4));
    }
}
