package com.stripesync.application.inbound;

import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.InboundEventParser;
import com.stripesync.domain.inbound.UnreadableEvent;
import com.stripesync.domain.link.SystemName;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in for one system's event parser: it reads back the payloads a test made with it (a customer event,
 * or a genuine event of a type the core does not handle) and finds anything else unreadable.
 */
final class ScriptedEventParser implements InboundEventParser {

    private final SystemName system;
    private final Map<String, Optional<ExternalCustomerEvent>> payloads = new HashMap<>();

    ScriptedEventParser(SystemName system) {
        this.system = system;
    }

    /** The payload the system would queue for {@code event}. */
    byte[] payloadOf(ExternalCustomerEvent event) {
        return script("customer-event " + event.id(), Optional.of(event));
    }

    /** The payload of a genuine event of a type the core does not handle ({@code invoice.paid}). */
    byte[] payloadOfType(String type) {
        return script("event of type " + type, Optional.empty());
    }

    @Override
    public SystemName system() {
        return system;
    }

    @Override
    public Optional<ExternalCustomerEvent> parse(byte[] payload) {
        Optional<ExternalCustomerEvent> event = payloads.get(new String(payload, StandardCharsets.UTF_8));
        if (event == null) {
            throw new UnreadableEvent("not an event of " + system + " (" + payload.length + " bytes)");
        }
        return event;
    }

    private byte[] script(String text, Optional<ExternalCustomerEvent> event) {
        payloads.put(text, event);
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
