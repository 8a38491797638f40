package com.stripesync.bootstrap.config;

/**
 * A setting that prevents the service from starting; the message names the environment variable and
 * says what is wrong, in one line, without secrets.
 */
public final class InvalidSetting extends RuntimeException {

    public InvalidSetting(String message) {
        super(message);
    }

    public InvalidSetting(String message, Throwable cause) {
        super(message, cause);
    }
}
