package com.stripesync.web.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.Objects;

/**
 * Sends response records as {@code application/json} with the API's mapper, whatever the request's
 * {@code Accept} header and the server's media context say.
 */
public final class JsonResponseWriter {

    private final ObjectMapper mapper;

    public JsonResponseWriter(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    public void send(ServerResponse response, Status status, Object body) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + body.getClass().getSimpleName(), e);
        }
        response.status(status);
        response.headers().contentType(MediaTypes.APPLICATION_JSON);
        response.send(json);
    }
}
