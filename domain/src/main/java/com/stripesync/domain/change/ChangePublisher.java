package com.stripesync.domain.change;

import java.util.List;

/** Hands changes to the durable log the workers read, keyed by customer so one customer's changes stay in order. */
public interface ChangePublisher {

    /**
     * Returns only when every change is durably acknowledged.
     *
     * @throws ChangePublishFailed when any change could not be published in time (none may be assumed published)
     */
    void publish(List<CustomerChange> changes);
}
