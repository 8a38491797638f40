package com.stripesync.stripe.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StripeClientFactoryTest {

    private static final String KEY = "sk_test_factory00000000000";

    private FakeStripe stripe;

    @BeforeEach
    void startStripe() {
        stripe = FakeStripe.start(KEY);
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    @Test
    void clientCallsTheConfiguredApiBaseWithTheKeyAndThePinnedVersion() throws Exception {
        StripeClient client = StripeClientFactory.create(settings(Duration.ofSeconds(5)));

        client.v1().customers().list();

        RecordedRequest list = stripe.requests().getFirst();
        assertThat(list.header("Authorization")).contains("Bearer " + KEY);
        assertThat(list.header("Stripe-Version")).contains(Stripe.API_VERSION);
    }

    @Test
    void clientGivesUpAfterTheReadTimeoutWithoutRetrying() {
        StripeClient client = StripeClientFactory.create(settings(Duration.ofMillis(200)));
        stripe.faults().latency(Duration.ofMillis(1_000));

        assertThatThrownBy(() -> client.v1().customers().list()).isInstanceOf(ApiConnectionException.class);

        assertThat(stripe.requests()).hasSize(1);
    }

    @Test
    void keepAliveCacheIsSizedForTheCallsTheRatesAllowInFlight() {
        Properties system = new Properties();

        String inForce = StripeClientFactory.sizeKeepAliveCache(system, StripeSettings.of(KEY).withRates(100, 60));

        assertThat(inForce).isEqualTo("160");
        assertThat(system.getProperty("http.maxConnections")).isEqualTo("160");
    }

    @Test
    void keepAliveCacheSizeSetByTheUserWins() {
        Properties system = new Properties();
        system.setProperty("http.maxConnections", "12");

        String inForce = StripeClientFactory.sizeKeepAliveCache(system, StripeSettings.of(KEY));

        assertThat(inForce).isEqualTo("12");
        assertThat(system.getProperty("http.maxConnections")).isEqualTo("12");
    }

    @Test
    void postsAreNeverResentByTheJdkUnlessTheUserSaysSo() {
        Properties system = new Properties();
        Properties user = new Properties();
        user.setProperty("sun.net.http.retryPost", "true");

        assertThat(StripeClientFactory.neverResendPosts(system)).isEqualTo("false");
        assertThat(system.getProperty("sun.net.http.retryPost")).isEqualTo("false");
        assertThat(StripeClientFactory.neverResendPosts(user)).isEqualTo("true");
    }

    private StripeSettings settings(Duration readTimeout) {
        return StripeSettings.of(KEY).withApiBase(URI.create(stripe.apiBase()))
                .withTimeouts(Duration.ofSeconds(2), readTimeout);
    }
}
