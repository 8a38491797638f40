package com.stripesync.domain.customer;

/** Another live customer already has this email (compared case-insensitively). */
public final class EmailAlreadyInUse extends RuntimeException {

    private final Email email;

    public EmailAlreadyInUse(Email email) {
        super("Email " + email.value() + " is already used by another customer");
        this.email = email;
    }

    public Email email() {
        return email;
    }
}
