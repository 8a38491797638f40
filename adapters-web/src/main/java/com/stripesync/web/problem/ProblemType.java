package com.stripesync.web.problem;

import io.helidon.http.Status;

/** The problem types with a meaning of their own in this API; HTTP-level problems use {@code about:blank}. */
public enum ProblemType {

    INVALID_REQUEST("invalid-request", "Invalid request", Status.BAD_REQUEST_400),
    CUSTOMER_NOT_FOUND("customer-not-found", "Customer not found", Status.NOT_FOUND_404),
    EMAIL_ALREADY_IN_USE("email-already-in-use", "Email already in use", Status.CONFLICT_409),
    VERSION_MISMATCH("version-mismatch", "Version mismatch", Status.PRECONDITION_FAILED_412),
    INVALID_WEBHOOK("invalid-webhook", "Invalid webhook", Status.BAD_REQUEST_400),
    WEBHOOKS_NOT_CONFIGURED("webhooks-not-configured", "Webhooks not configured", Status.SERVICE_UNAVAILABLE_503);

    private final String uri;
    private final String title;
    private final Status status;

    ProblemType(String name, String title, Status status) {
        this.uri = "urn:stripe-sync:problem:" + name;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public Status status() {
        return status;
    }
}
