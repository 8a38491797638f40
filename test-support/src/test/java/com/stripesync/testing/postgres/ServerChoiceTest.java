package com.stripesync.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerChoiceTest {

    private static ServerChoice choose(Map<String, String> properties, Map<String, String> environment) {
        return ServerChoice.choose(properties::get, environment::get);
    }

    @Test
    void embeddedWhenNothingIsConfigured() {
        assertThat(choose(Map.of(), Map.of())).isInstanceOf(ServerChoice.Embedded.class);
    }

    @Test
    void containersOnlyWhenAskedFor() {
        assertThat(choose(Map.of("test.infra", "containers"), Map.of())).isInstanceOf(ServerChoice.Containers.class);
        assertThat(choose(Map.of(), Map.of("TEST_INFRA", "containers"))).isInstanceOf(ServerChoice.Containers.class);
    }

    @Test
    void externalServerFromSystemPropertiesWinsOverContainers() {
        ServerChoice choice = choose(
                Map.of("test.db.url", "jdbc:postgresql://db:5432/ci", "test.db.user", "ci", "test.db.password", "s3cret",
                        "test.infra", "containers"),
                Map.of());

        assertThat(choice).isEqualTo(new ServerChoice.External("jdbc:postgresql://db:5432/ci", "ci", "s3cret"));
    }

    @Test
    void externalServerFromEnvironmentWithDefaultUserAndEmptyPassword() {
        ServerChoice choice = choose(Map.of(), Map.of("TEST_DB_URL", "jdbc:postgresql://db/ci"));

        assertThat(choice).isEqualTo(new ServerChoice.External("jdbc:postgresql://db/ci", "postgres", ""));
    }

    @Test
    void systemPropertyWinsOverEnvironmentVariable() {
        ServerChoice choice = choose(Map.of("test.db.url", "jdbc:postgresql://from-property/db"),
                Map.of("TEST_DB_URL", "jdbc:postgresql://from-env/db", "TEST_DB_USER", "env-user"));

        assertThat(choice).isEqualTo(new ServerChoice.External("jdbc:postgresql://from-property/db", "env-user", ""));
    }

    @Test
    void externalChoiceNeverPrintsThePassword() {
        assertThat(new ServerChoice.External("jdbc:postgresql://db/ci", "ci", "s3cret").toString())
                .doesNotContain("s3cret");
    }

    @Test
    void unknownInfraIsRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> choose(Map.of("test.infra", "docker"), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("docker");
    }
}
