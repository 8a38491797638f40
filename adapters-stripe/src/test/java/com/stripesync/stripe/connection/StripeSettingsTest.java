package com.stripesync.stripe.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeSettingsTest {

    private static final String SECRET = "sk_live_51Hx9zTopSecretValue0001";

    @ParameterizedTest
    @ValueSource(strings = {"sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_51HxSecretValue", "rk_live_51HxRestricted"})
    void acceptsSecretAndRestrictedKeys(String key) {
        assertThat(StripeSettings.of(key).secretKey()).isEqualTo(key);
    }

    @Test
    void refusesAPublishableKeyWithoutEchoingIt() {
        String publishable = "pk_live_51HxPublishableValue";

        assertThatThrownBy(() -> StripeSettings.of(publishable))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publishable key (pk_...)")
                .message().doesNotContain(publishable).doesNotContain("51HxPublishableValue");
    }

    @Test
    void refusesAWebhookSigningSecretWithoutEchoingIt() {
        String webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        assertThatThrownBy(() -> StripeSettings.of(webhookSecret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhook signing secret")
                .message().doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "notakey123", "sk_", "sk_live_with space"})
    void refusesMissingOrMalformedKeysWithoutEchoingThem(String key) {
        assertThatThrownBy(() -> StripeSettings.of(key))
                .isInstanceOf(IllegalArgumentException.class)
                .message().satisfies(message -> {
                    if (!key.isBlank()) {
                        assertThat(message).doesNotContain(key);
                    }
                });
    }

    @Test
    void toStringNeverPrintsTheKey() {
        StripeSettings settings = StripeSettings.of(SECRET);

        assertThat(settings.toString()).doesNotContain(SECRET).doesNotContain("TopSecretValue")
                .contains("sk_live_***");
    }

    @Test
    void defaultsToStripesApiWithBoundedTimeouts() {
        StripeSettings settings = StripeSettings.of(SECRET);

        assertThat(settings.apiBase()).isEqualTo(URI.create("https://api.stripe.com"));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void defaultsToStripesTestModeRatesWithABoundedWait() {
        StripeSettings settings = StripeSettings.of(SECRET);

        assertThat(settings.writesPerSecond()).isEqualTo(25);
        assertThat(settings.readsPerSecond()).isEqualTo(25);
        assertThat(settings.maxWaitForPermit()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.withRates(100, 90)).extracting(StripeSettings::writesPerSecond,
                StripeSettings::readsPerSecond).containsExactly(100, 90);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -25, 10_001})
    void refusesRatesThatAreNotPositiveOrAbsurd(int perSecond) {
        StripeSettings settings = StripeSettings.of(SECRET);

        assertThatThrownBy(() -> settings.withRates(perSecond, 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writesPerSecond");
        assertThatThrownBy(() -> settings.withRates(25, perSecond))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readsPerSecond");
    }

    @Test
    void refusesAWaitForPermitThatIsNotPositive() {
        StripeSettings settings = StripeSettings.of(SECRET);

        assertThatThrownBy(() -> settings.withMaxWaitForPermit(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWaitForPermit");
        assertThatThrownBy(() -> settings.withMaxWaitForPermit(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWaitForPermit");
    }

    @Test
    void toStringShowsTheRates() {
        assertThat(StripeSettings.of(SECRET).withRates(100, 50).toString())
                .contains("writesPerSecond=100").contains("readsPerSecond=50");
    }

    @Test
    void apiBaseLosesItsTrailingSlash() {
        assertThat(StripeSettings.of(SECRET).withApiBase(URI.create("http://127.0.0.1:12111/")).apiBase())
                .isEqualTo(URI.create("http://127.0.0.1:12111"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://api.stripe.com", "https://api.stripe.com/v1", "api.stripe.com",
            "https://user:pw@api.stripe.com"})
    void refusesAnApiBaseThatIsNotASchemeAndHost(String apiBase) {
        StripeSettings settings = StripeSettings.of(SECRET);

        assertThatThrownBy(() -> settings.withApiBase(URI.create(apiBase))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesTimeoutsThatAreNotPositive() {
        StripeSettings settings = StripeSettings.of(SECRET);

        assertThatThrownBy(() -> settings.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> settings.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readTimeout");
    }
}
