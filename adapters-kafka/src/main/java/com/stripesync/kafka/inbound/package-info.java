/**
 * Webhook events on their way to the catalog: {@link com.stripesync.kafka.inbound.KafkaInboundEventQueue},
 * the webhook intake's {@link com.stripesync.domain.inbound.InboundEventQueue}, and the record format it
 * writes ({@link com.stripesync.kafka.inbound.InboundRecords}). The worker that applies them is
 * {@link com.stripesync.kafka.worker.InboundWorker}.
 */
@NullMarked
package com.stripesync.kafka.inbound;

import org.jspecify.annotations.NullMarked;
