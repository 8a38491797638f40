package com.stripesync.application.sync;

/** Moves recorded changes from the outbox to the log. */
public interface RelayChanges {

    /**
     * Publishes the next batch of unpublished changes and marks them published, all or nothing.
     *
     * @return how many changes were published; 0 when the outbox is drained
     * @throws com.stripesync.domain.change.ChangePublishFailed when the log did not acknowledge in time
     */
    int relayNextBatch();
}
