package com.stripesync.application.sync;

import java.util.Locale;

/** What a local deletion does to the external customer. */
public enum DeleteMode {
    /** Delete it there too (in Stripe this also cancels its subscriptions). */
    DELETE,
    /** Leave it there; only the link is marked DELETED. */
    UNLINK;

    public static DeleteMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("delete mode is 'delete' or 'unlink', not '" + text + "'");
        }
    }
}
