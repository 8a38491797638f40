package com.stripesync.domain.inbound;

import com.stripesync.domain.link.SystemName;

/** Checks that a webhook really comes from the system (its signature over the raw body, its age) and reads its envelope. */
public interface WebhookVerifier {

    SystemName system();

    /** @throws WebhookRejected when the signature, timestamp or body does not check out */
    VerifiedEvent verify(WebhookDelivery delivery);
}
