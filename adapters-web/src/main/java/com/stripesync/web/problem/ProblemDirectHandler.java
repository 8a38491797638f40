package com.stripesync.web.problem;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.util.Objects;

/**
 * Answers the failures Helidon handles before (or outside of) routing, such as a malformed request
 * line or a body over the size limit, with a problem instead of Helidon's plain text. Helidon's own
 * message is never echoed: it may quote the request.
 */
public final class ProblemDirectHandler implements DirectHandler {

    static final String MALFORMED_REQUEST = "The request is not well-formed HTTP";

    private final ProblemWriter writer;

    public ProblemDirectHandler(ProblemWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Direct handlers answering a problem for every kind of event. */
    public DirectHandlers handlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, this);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        Problem problem = Problem.ofStatus(status, detail(status));
        headers.set(HeaderNames.CONTENT_TYPE, ProblemWriter.PROBLEM_JSON.text());
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(writer.bytes(problem))
                .build();
    }

    /** By status: Helidon reports an oversized body as a BAD_REQUEST event with status 413. */
    private static String detail(Status status) {
        return switch (status.code()) {
            case 400 -> MALFORMED_REQUEST;
            case 413 -> "The request body is larger than this server accepts";
            case 505 -> "This HTTP version is not supported";
            case 500 -> "The server failed unexpectedly; the failure was logged";
            default -> "The request was refused: " + status.reasonPhrase();
        };
    }
}
