package com.stripesync.web.problem;

import java.util.List;

/**
 * The request breaks a rule of the HTTP API itself (its JSON, a query parameter, a header), as opposed
 * to a rule of the domain ({@link com.stripesync.domain.customer.InvalidCustomerException}). Answered 400.
 */
public final class InvalidRequest extends RuntimeException {

    private final List<FieldError> errors;

    private InvalidRequest(String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.errors = List.copyOf(errors);
    }

    /** A problem with the request as a whole, such as a body that is not JSON. */
    public static InvalidRequest of(String detail) {
        return new InvalidRequest(detail, List.of());
    }

    /** A problem with one named value of the request; {@code rule} follows the name: "must be ...". */
    public static InvalidRequest field(String field, String rule) {
        String detail = field + " " + rule;
        return new InvalidRequest(detail, List.of(new FieldError(field, detail)));
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
