package com.stripesync.application.inbound;

import com.stripesync.domain.inbound.InboundEventQueue;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.inbound.WebhookDelivery;
import com.stripesync.domain.inbound.WebhookVerifier;
import com.stripesync.domain.link.SystemName;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The webhook endpoint's use case for one system: verify, then queue durably, then answer. No database
 * work, so webhooks are accepted while the database is down. Event types the core does not handle are
 * acknowledged (refusing them makes the system retry for days) and counted.
 */
public final class WebhookIntake implements ReceiveWebhook {

    private final SystemName system;
    private final Optional<WebhookVerifier> verifier;
    private final InboundEventQueue queue;
    private final LongAdder ignored = new LongAdder();

    /** @param verifier absent when no signing secret is configured: every webhook is then refused */
    public WebhookIntake(SystemName system, Optional<WebhookVerifier> verifier, InboundEventQueue queue) {
        this.system = Objects.requireNonNull(system, "system");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    @Override
    public WebhookReceipt receive(WebhookDelivery delivery) {
        WebhookVerifier check = verifier.orElseThrow(() -> new WebhooksNotConfigured(
                "No webhook signing secret is configured for " + system + ": webhooks are refused until one is"));
        VerifiedEvent event = check.verify(delivery);
        if (!event.relevant()) {
            ignored.increment();
            return new WebhookReceipt(event.id(), event.type(), false);
        }
        queue.enqueue(system, event);
        return new WebhookReceipt(event.id(), event.type(), true);
    }

    /** How many genuine events of types the core does not handle were acknowledged since start. */
    public long ignoredEvents() {
        return ignored.sum();
    }
}
