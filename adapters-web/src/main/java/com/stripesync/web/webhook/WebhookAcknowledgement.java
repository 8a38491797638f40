package com.stripesync.web.webhook;

import com.stripesync.application.inbound.WebhookReceipt;

/**
 * The answer to an accepted delivery: {@code queued} when it was stored durably to be applied, false for a
 * genuine event of a type the service does not handle (acknowledged, so the sender does not retry it).
 */
public record WebhookAcknowledgement(boolean received, boolean queued) {

    public static WebhookAcknowledgement from(WebhookReceipt receipt) {
        return new WebhookAcknowledgement(true, receipt.queued());
    }
}
