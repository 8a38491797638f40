package com.stripesync.kafka.worker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * What a worker adds to a record it puts in its dead-letter topic. The key, the value and the original
 * headers are kept unchanged (an inbound event keeps its event id and type headers), so a dead letter can be
 * inspected, fixed and produced to the topic it came from again. Every value is UTF-8 text.
 */
public final class DeadLetterHeaders {

    /** Why: {@value #CAUSE_REJECTED}, {@value #CAUSE_UNDECODABLE} or {@value #CAUSE_FAILED}. */
    public static final String CAUSE = "stripe-sync.dlt.cause";
    public static final String CAUSE_REJECTED = "rejected";
    public static final String CAUSE_UNDECODABLE = "undecodable";
    /** The handler threw on every try, {@link #ATTEMPTS} times in a row. */
    public static final String CAUSE_FAILED = "failed";
    /** Why the record was refused (rejected only): the system's reason for a change, ours for an inbound event. */
    public static final String REASON = "stripe-sync.dlt.reason";
    /** The change's id (rejected changes only; an undecodable record has none we could read). */
    public static final String CHANGE_ID = "stripe-sync.dlt.change-id";
    /** The class of the error that made the record undecodable, or of the handler's last one (failed). */
    public static final String ERROR_CLASS = "stripe-sync.dlt.error.class";
    /** Its message. */
    public static final String ERROR_MESSAGE = "stripe-sync.dlt.error.message";
    /** How many times in a row the handler threw (failed only). */
    public static final String ATTEMPTS = "stripe-sync.dlt.attempts";
    /** The system whose worker gave up on the record. */
    public static final String SYSTEM = "stripe-sync.dlt.system";
    public static final String ORIGINAL_TOPIC = "stripe-sync.dlt.original.topic";
    public static final String ORIGINAL_PARTITION = "stripe-sync.dlt.original.partition";
    public static final String ORIGINAL_OFFSET = "stripe-sync.dlt.original.offset";

    static final int MAX_TEXT_LENGTH = 1_000;

    private DeadLetterHeaders() {
    }

    /** The last value of header {@code name} as text, or {@code null} when there is none. */
    public static @Nullable String value(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static List<Header> rejected(ConsumerRecord<?, ?> original, String system, Map<String, String> details, String reason) {
        List<Header> headers = common(original, system, CAUSE_REJECTED);
        details.forEach((name, value) -> headers.add(header(name, value)));
        headers.add(header(REASON, reason));
        return headers;
    }

    static List<Header> undecodable(ConsumerRecord<?, ?> original, String system, Exception error) {
        List<Header> headers = common(original, system, CAUSE_UNDECODABLE);
        addError(headers, error);
        return headers;
    }

    static List<Header> failed(ConsumerRecord<?, ?> original, String system, Exception lastError, int attempts) {
        List<Header> headers = common(original, system, CAUSE_FAILED);
        addError(headers, lastError);
        headers.add(header(ATTEMPTS, Integer.toString(attempts)));
        return headers;
    }

    private static void addError(List<Header> headers, Exception error) {
        headers.add(header(ERROR_CLASS, error.getClass().getName()));
        headers.add(header(ERROR_MESSAGE, String.valueOf(error.getMessage())));
    }

    private static List<Header> common(ConsumerRecord<?, ?> original, String system, String cause) {
        List<Header> headers = new ArrayList<>();
        original.headers().forEach(headers::add);
        headers.add(header(CAUSE, cause));
        headers.add(header(SYSTEM, system));
        headers.add(header(ORIGINAL_TOPIC, original.topic()));
        headers.add(header(ORIGINAL_PARTITION, Integer.toString(original.partition())));
        headers.add(header(ORIGINAL_OFFSET, Long.toString(original.offset())));
        return headers;
    }

    private static Header header(String name, String value) {
        String text = value.length() <= MAX_TEXT_LENGTH ? value : value.substring(0, MAX_TEXT_LENGTH) + "...";
        return new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8));
    }
}
