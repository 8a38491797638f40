package com.stripesync.web.customer;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/customers} and {@code PUT /api/customers/{id}}. Members are nullable here
 * because JSON may leave them out; the domain values built from them say what is missing.
 */
public record CustomerDetailsRequest(@Nullable String name, @Nullable String email) {
}
