package com.stripesync.domain.change;

/** What happened to the customer. */
public enum ChangeKind {
    CREATED,
    UPDATED,
    DELETED
}
