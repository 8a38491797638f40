package com.stripesync.kafka.inbound;

import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.link.ExternalId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * A verified webhook event as a record of its system's inbound topic:
 * <ul>
 *   <li>key: the external customer the event is about ({@code cus_...}), so one customer's events stay in
 *       one partition, in the order they were accepted; the event id when it is about no customer;</li>
 *   <li>value: the exact bytes whose signature was verified, unchanged;</li>
 *   <li>headers (UTF-8): {@value #EVENT_ID} and {@value #EVENT_TYPE}, so that the event can be named in logs
 *       and found in a dead-letter topic without reading its payload (which holds personal data).</li>
 * </ul>
 */
public final class InboundRecords {

    /** The system's id of the event ({@code evt_...}). */
    public static final String EVENT_ID = "stripe-sync.event-id";
    /** The system's name of the event type ({@code customer.updated}). */
    public static final String EVENT_TYPE = "stripe-sync.event-type";

    private InboundRecords() {
    }

    public static ProducerRecord<byte[], byte[]> of(String topic, VerifiedEvent event) {
        List<Header> headers = List.of(
                new RecordHeader(EVENT_ID, utf8(event.id().value())),
                new RecordHeader(EVENT_TYPE, utf8(event.type())));
        return new ProducerRecord<>(topic, null, key(event), event.payload(), headers);
    }

    /** The event id a record carries in its headers, if it has one. */
    public static @Nullable String eventId(Headers headers) {
        Header header = headers.lastHeader(EVENT_ID);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static byte[] key(VerifiedEvent event) {
        return utf8(event.customer().map(ExternalId::value).orElse(event.id().value()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
