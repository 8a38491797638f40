package com.stripesync.bootstrap.sync;

import com.stripesync.application.inbound.WebhookIntake;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Always up; reports how many genuine webhooks of types the sync does not handle were acknowledged. */
public final class WebhookHealthCheck implements HealthCheck {

    private final WebhookIntake intake;
    private final boolean configured;

    public WebhookHealthCheck(WebhookIntake intake, boolean configured) {
        this.intake = intake;
        this.configured = configured;
    }

    @Override
    public String name() {
        return "stripe-webhooks";
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.LIVENESS;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.builder()
                .status(true)
                .detail("signingSecretConfigured", configured)
                .detail("ignoredEventsSinceStart", intake.ignoredEvents())
                .build();
    }
}
