package com.stripesync.application.inbound;

/** Applies one queued event of one system; the outcome is committed before this returns. */
public interface HandleInboundEvent {

    InboundOutcome handle(byte[] payload);
}
