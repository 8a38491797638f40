package com.stripesync.application.inbound;

import com.stripesync.domain.inbound.EventId;

/** A webhook accepted: queued when {@code queued}, else a type the core does not handle (acknowledged and counted). */
public record WebhookReceipt(EventId event, String type, boolean queued) {
}
