package com.stripesync.kafka.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.inbound.HandleInboundEvent;
import com.stripesync.application.inbound.InboundOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A {@link HandleInboundEvent} that records every call and answers from a script ({@code Applied} by default). */
public final class RecordingHandler implements HandleInboundEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One call: the exact payload, the event id and customer read from it, and when it started
     * ({@link System#nanoTime()}).
     */
    public record Call(byte[] payload, String eventId, String customer, long startedNanos) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Function<Call, InboundOutcome> script;

    public RecordingHandler(Function<Call, InboundOutcome> script) {
        this.script = script;
    }

    public static RecordingHandler applyingEverything() {
        return new RecordingHandler(call -> new InboundOutcome.Applied("updated"));
    }

    @Override
    public InboundOutcome handle(byte[] payload) {
        Call call = new Call(payload.clone(), field(payload, "/id"), field(payload, "/data/object/id"), System.nanoTime());
        calls.add(call);
        return script.apply(call);
    }

    private static String field(byte[] payload, String pointer) {
        try {
            JsonNode node = JSON.readTree(payload).at(pointer);
            return node.isMissingNode() ? "" : node.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("the test's payloads are JSON", e);
        }
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<String> eventIds() {
        return calls.stream().map(Call::eventId).toList();
    }

    public List<String> eventIdsOf(String customer) {
        return calls.stream().filter(call -> call.customer().equals(customer)).map(Call::eventId).toList();
    }

    public int count() {
        return calls.size();
    }
}
