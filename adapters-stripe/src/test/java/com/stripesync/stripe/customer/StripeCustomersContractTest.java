package com.stripesync.stripe.customer;

import com.stripesync.domain.sync.ExternalSystemPort;
import com.stripesync.stripe.connection.StripeClientFactory;
import com.stripesync.stripe.connection.StripeSettings;
import com.stripesync.testing.contract.ExternalSystemPortContract;
import com.stripesync.testing.stripe.FakeStripe;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link StripeCustomers} over real stripe-java HTTP against the fake Stripe server. */
class StripeCustomersContractTest extends ExternalSystemPortContract {

    private FakeStripe stripe;

    @BeforeEach
    void startStripe() {
        stripe = FakeStripe.start();
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    @Override
    protected ExternalSystemPort portUnderTest() {
        StripeSettings settings = StripeSettings.of("sk_test_contract0000000000")
                .withApiBase(URI.create(stripe.apiBase()))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
        return new StripeCustomers(StripeClientFactory.create(settings));
    }

    /**
     * Drops two answers: HttpURLConnection resends a POST once by itself when the connection drops
     * before the answer (with the same Idempotency-Key), so the first loss never reaches the caller.
     */
    @Override
    protected void loseNextResponse() {
        stripe.faults().dropConnectionAfterApplyingNext(2);
    }
}
