package com.stripesync.domain.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.link.SystemName;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExternalFailuresTest {

    private static final SystemName STRIPE = new SystemName("stripe");

    @Test
    void unavailableSystemNamesItselfAndTheWaitItAskedFor() {
        ExternalSystemUnavailable unavailable = new ExternalSystemUnavailable(STRIPE, "rate limited",
                Duration.ofSeconds(3), null);

        assertThat(unavailable).hasMessage("stripe is unavailable: rate limited");
        assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(new ExternalSystemUnavailable(STRIPE, "down").retryAfter()).isEmpty();
    }

    @Test
    void unavailableRefusesANegativeWait() {
        assertThatThrownBy(() -> new ExternalSystemUnavailable(STRIPE, "odd", Duration.ofSeconds(-1), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectionKeepsTheReasonForUsersApartFromTheMessage() {
        ExternalChangeRejected rejected = new ExternalChangeRejected(STRIPE, "Invalid email address");

        assertThat(rejected.reason()).isEqualTo("Invalid email address");
        assertThat(rejected).hasMessage("stripe rejected the change: Invalid email address");
    }
}
