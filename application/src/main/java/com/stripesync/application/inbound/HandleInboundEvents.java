package com.stripesync.application.inbound;

import java.util.List;

/**
 * Applies a batch of one system's queued events, in the given order; the outcomes, one per payload in the same
 * order, are committed before this returns.
 */
public interface HandleInboundEvents {

    List<InboundOutcome> handleAll(List<byte[]> payloads);
}
