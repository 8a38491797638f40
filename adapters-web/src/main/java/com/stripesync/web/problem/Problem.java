package com.stripesync.web.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.helidon.http.Status;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem as the API sends it. {@code errors} is left out unless the problem lies with
 * particular values of the request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, @Nullable List<FieldError> errors) {

    /** The type of problems whose HTTP status says all there is to say (RFC 9457, section 4.2.1). */
    public static final String ABOUT_BLANK = "about:blank";

    public Problem {
        errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status().code(), detail, null);
    }

    public static Problem of(ProblemType type, String detail, List<FieldError> errors) {
        return new Problem(type.uri(), type.title(), type.status().code(), detail, errors);
    }

    /** A problem of type {@value #ABOUT_BLANK}, titled by the status' reason phrase. */
    public static Problem ofStatus(Status status, String detail) {
        return new Problem(ABOUT_BLANK, status.reasonPhrase(), status.code(), detail, null);
    }
}
