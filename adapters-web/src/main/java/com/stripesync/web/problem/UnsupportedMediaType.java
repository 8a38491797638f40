package com.stripesync.web.problem;

/** The request body is not in a media type the route reads. Answered 415. */
public final class UnsupportedMediaType extends RuntimeException {

    public UnsupportedMediaType(String detail) {
        super(detail, null, false, false);
    }
}
