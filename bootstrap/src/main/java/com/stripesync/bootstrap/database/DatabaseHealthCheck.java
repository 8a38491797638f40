package com.stripesync.bootstrap.database;

import com.stripesync.persistence.PostgresDatabase;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.time.Duration;

/** Ready only while the catalog's database answers. */
public final class DatabaseHealthCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final PostgresDatabase database;

    public DatabaseHealthCheck(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
        boolean reachable = database.isReachable(TIMEOUT);
        return HealthCheckResponse.builder()
                .status(reachable)
                .detail("postgresql", reachable ? "reachable" : "unreachable")
                .build();
    }
}
