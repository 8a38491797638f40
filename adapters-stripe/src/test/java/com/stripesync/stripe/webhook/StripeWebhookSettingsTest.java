package com.stripesync.stripe.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeWebhookSettingsTest {

    private static final String NEW = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OLD = "whsec_Q3v7OldSecretValue0000000000000000";

    @Test
    void severalSecretsAndTheDefaultToleranceOfFiveMinutes() {
        StripeWebhookSettings settings = StripeWebhookSettings.of(NEW, OLD);

        assertThat(settings.secrets()).containsExactly(NEW, OLD);
        assertThat(settings.tolerance()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void parsesACommaSeparatedListIgnoringBlanksAndEmptyEntries() {
        StripeWebhookSettings settings = StripeWebhookSettings.parse(" " + NEW + " , " + OLD + ",", Duration.ofSeconds(60));

        assertThat(settings.secrets()).containsExactly(NEW, OLD);
        assertThat(settings.tolerance()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aSecretGivenTwiceCountsOnce() {
        assertThat(StripeWebhookSettings.parse(NEW + "," + NEW).secrets()).containsExactly(NEW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ",", " , , "})
    void nothingConfiguredMeansNoSettingsRatherThanAFailure(String configured) {
        assertThat(StripeWebhookSettings.parseIfConfigured(configured, Duration.ofMinutes(5))).isEmpty();
        assertThat(StripeWebhookSettings.parseIfConfigured(null, Duration.ofMinutes(5))).isEmpty();
        assertThatThrownBy(() -> StripeWebhookSettings.parse(configured)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No Stripe webhook signing secret");
    }

    @Test
    void somethingConfiguredMustBeValid() {
        assertThat(StripeWebhookSettings.parseIfConfigured(NEW, Duration.ofMinutes(5))).isPresent();
        assertThatThrownBy(() -> StripeWebhookSettings.parseIfConfigured("whsec", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk_live_51HxSecretApiKeyValue", "rk_live_51HxRestrictedValue", "pk_live_51HxPublishable"})
    void refusesAnApiKeyNamingWhatItIsWithoutEchoingIt(String key) {
        assertThatThrownBy(() -> StripeWebhookSettings.of(NEW, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2 is a Stripe API key")
                .message().doesNotContain(key).doesNotContain(key.substring(8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc123xyz", "whsec_with space", "whsec_tab\tinside", "whsec_a,whsec_b", "WHSEC_UPPERCASE"})
    void refusesWhatIsNotASigningSecretWithoutEchoingIt(String secret) {
        assertThatThrownBy(() -> StripeWebhookSettings.of(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#1")
                .message().doesNotContain(secret);
    }

    @Test
    void refusesThePrefixAlone() {
        assertThatThrownBy(() -> StripeWebhookSettings.of("whsec_")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNoSecretsAtAll() {
        assertThatThrownBy(() -> new StripeWebhookSettings(List.of(), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StripeWebhookSettings(Arrays.asList(NEW, null), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#2 is blank");
    }

    @Test
    void refusesAToleranceUnderOneSecond() {
        for (Duration tolerance : new Duration[] {Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5)}) {
            assertThatThrownBy(() -> new StripeWebhookSettings(List.of(NEW), tolerance))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
        }
        assertThatThrownBy(() -> new StripeWebhookSettings(List.of(NEW), null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringCountsTheSecretsButNeverPrintsThem() {
        String text = StripeWebhookSettings.of(NEW, OLD).toString();

        assertThat(text).contains("2 x whsec_***", "PT5M").doesNotContain(NEW, OLD, "MfKQ9r8", "Q3v7Old");
    }
}
