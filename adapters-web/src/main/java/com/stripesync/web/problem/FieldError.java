package com.stripesync.web.problem;

/** One value of a request at fault: a body member by its JSON path, or a parameter or header by its name. */
public record FieldError(String field, String detail) {
}
