package com.stripesync.domain.change;

import com.stripesync.domain.link.SystemName;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a change came from: our own API ({@link #LOCAL}) or an external system. A change is never sent
 * back to the system it came from: that is what keeps the sync free of loops.
 */
public record ChangeOrigin(@Nullable SystemName system) {

    public static final ChangeOrigin LOCAL = new ChangeOrigin(null);

    public static ChangeOrigin from(SystemName system) {
        return new ChangeOrigin(system);
    }

    public boolean cameFrom(SystemName candidate) {
        return candidate.equals(system);
    }

    public Optional<SystemName> externalSystem() {
        return Optional.ofNullable(system);
    }
}
