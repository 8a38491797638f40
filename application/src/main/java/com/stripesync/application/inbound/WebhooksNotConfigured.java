package com.stripesync.application.inbound;

/** The endpoint has no signing secret to verify webhooks with, so it accepts none. */
public final class WebhooksNotConfigured extends RuntimeException {

    public WebhooksNotConfigured(String message) {
        super(message, null, false, false);
    }
}
