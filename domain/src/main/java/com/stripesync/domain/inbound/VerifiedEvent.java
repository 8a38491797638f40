package com.stripesync.domain.inbound;

import com.stripesync.domain.link.ExternalId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An event whose signature checked out.
 *
 * @param type     the system's name for the event type ({@code customer.updated})
 * @param subject  the external customer it is about, when it is about one (the queue keys on it)
 * @param relevant whether the core handles this type; others are acknowledged and counted, never queued
 * @param payload  the exact verified bytes, queued as they are
 */
public record VerifiedEvent(EventId id, String type, @Nullable ExternalId subject, boolean relevant, byte[] payload) {

    public VerifiedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public Optional<ExternalId> customer() {
        return Optional.ofNullable(subject);
    }
}
