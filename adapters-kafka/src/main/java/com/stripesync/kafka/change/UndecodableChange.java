package com.stripesync.kafka.change;

/**
 * A record value that is not a customer change this version can read: not JSON, another format version, a
 * missing or invalid field. Such a record is poison: retrying cannot help, so it goes to the dead-letter topic.
 * The message names the problem and the field, not the field's value.
 */
public final class UndecodableChange extends RuntimeException {

    public UndecodableChange(String message) {
        super(message);
    }

    public UndecodableChange(String message, Throwable cause) {
        super(message, cause);
    }
}
