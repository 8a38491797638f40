package com.stripesync.domain.inbound;

import com.stripesync.domain.link.SystemName;
import java.util.Optional;

/** Reads a queued event of one system into domain terms, whatever API version it was rendered in. */
public interface InboundEventParser {

    SystemName system();

    /**
     * The customer event, or empty when the payload is a genuine event of a type the core does not handle.
     *
     * @throws UnreadableEvent when the payload cannot be read at all (a poison message)
     */
    Optional<ExternalCustomerEvent> parse(byte[] payload);
}
