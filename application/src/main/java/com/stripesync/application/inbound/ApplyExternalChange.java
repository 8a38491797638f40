package com.stripesync.application.inbound;

import com.stripesync.domain.inbound.ExternalCustomerEvent;

/** Applies one external customer event to the local catalog, once, and never sends it back. */
public interface ApplyExternalChange {

    InboundOutcome apply(ExternalCustomerEvent event);
}
