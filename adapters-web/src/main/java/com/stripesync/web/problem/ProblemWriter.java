package com.stripesync.web.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serializes problems itself rather than through the media context: Helidon's JSON writer only claims
 * {@code application/json}, and direct handlers need bytes anyway.
 */
public final class ProblemWriter {

    public static final HttpMediaType PROBLEM_JSON = HttpMediaType.create(MediaTypes.create("application", "problem+json"));

    private static final byte[] LAST_RESORT = ("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
            + "\"status\":500,\"detail\":\"The server failed to describe a problem.\"}").getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper mapper;

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    public void write(ServerRequest request, ServerResponse response, Problem problem) {
        byte[] body = bytes(problem);
        response.status(body == LAST_RESORT ? Status.INTERNAL_SERVER_ERROR_500 : Status.create(problem.status()));
        response.headers().contentType(PROBLEM_JSON);
        if (Method.HEAD.equals(request.prologue().method())) {
            // A response to HEAD never has content (RFC 9110, 9.3.2); Helidon would send it.
            response.send();
        } else {
            response.send(body);
        }
    }

    byte[] bytes(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            System.getLogger(ProblemWriter.class.getName()).log(System.Logger.Level.ERROR, "Cannot serialize a problem", e);
            return LAST_RESORT;
        }
    }
}
