package com.stripesync.domain.inbound;

/** What happened to the customer in the external system. */
public enum ExternalEventKind {
    CREATED,
    UPDATED,
    DELETED
}
