package com.stripesync.application.inbound;

import com.stripesync.domain.inbound.WebhookDelivery;

/** Accepts a webhook: verifies it and hands it to the durable queue, without touching the database. */
public interface ReceiveWebhook {

    /**
     * @throws com.stripesync.domain.inbound.WebhookRejected when it is not a genuine, current event
     * @throws com.stripesync.domain.inbound.EventHandOffFailed when it could not be queued durably in time
     * @throws WebhooksNotConfigured when no signing secret is configured (nothing is accepted unverified)
     */
    WebhookReceipt receive(WebhookDelivery delivery);
}
