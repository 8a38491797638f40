package com.stripesync.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void redactRemovesEveryPasswordParameterAndKeepsTheOthers() {
        assertThat(DatabaseSettings.redact(
                "jdbc:postgresql://db:5432/app?ssl=true&password=hunter2&sslpassword=pem&PASSWORD=x&currentSchema=s"))
                .isEqualTo("jdbc:postgresql://db:5432/app?ssl=true&currentSchema=s");
    }

    @Test
    void redactDropsTheQuestionMarkWhenOnlyAPasswordWasThere() {
        assertThat(DatabaseSettings.redact("jdbc:postgresql://db/app?password=hunter2"))
                .isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void redactLeavesAUrlWithoutParametersAlone() {
        assertThat(DatabaseSettings.redact("jdbc:postgresql://db/app")).isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void toStringNeverPrintsThePassword() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://db/app?password=in-url", "app",
                "s3cret", 10, TIMEOUT);

        assertThat(settings.toString())
                .contains("jdbc:postgresql://db/app", "app", "10")
                .doesNotContain("s3cret", "in-url");
    }

    @Test
    void onlyPostgresUrlsAreAcceptedAndTheRefusalHidesThePassword() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:mysql://db/app?password=hunter2", "app", null, 10, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db/app")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void userIsRequired() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:postgresql://db/app", " ", null, 10, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void poolHoldsAtLeastOneConnection() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:postgresql://db/app", "app", null, 0, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DatabaseSettings("jdbc:postgresql://db/app", "app", null, 1, TIMEOUT).maxPoolSize()).isEqualTo(1);
    }

    @Test
    void connectTimeoutMustBeOneThePoolCanHonour() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:postgresql://db/app", "app", null, 10, Duration.ofMillis(249)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:postgresql://db/app", "app", null, 10, Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DatabaseSettings("jdbc:postgresql://db/app", "app", null, 10, Duration.ofMillis(250))
                .connectTimeout()).isEqualTo(Duration.ofMillis(250));
    }
}
