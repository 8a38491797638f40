package com.stripesync.testing.postgres;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Which PostgreSQL the tests of this JVM use, decided once from system properties (first) and
 * environment variables:
 * <ul>
 *   <li>{@code -Dtest.db.url} / {@code TEST_DB_URL} (with {@code test.db.user}/{@code TEST_DB_USER}, default
 *       {@code postgres}, and {@code test.db.password}/{@code TEST_DB_PASSWORD}, default empty): that server;</li>
 *   <li>{@code -Dtest.infra=containers} / {@code TEST_INFRA=containers}: a Testcontainers {@code postgres:17};</li>
 *   <li>otherwise an embedded PostgreSQL 17 (zonky), which needs nothing installed.</li>
 * </ul>
 */
sealed interface ServerChoice {

    record External(String jdbcUrl, String user, String password) implements ServerChoice {

        /** The password may be a real one: never print it. */
        @Override
        public String toString() {
            return "External[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
        }
    }

    record Containers() implements ServerChoice {
    }

    record Embedded() implements ServerChoice {
    }

    static ServerChoice fromEnvironment() {
        return choose(System::getProperty, System::getenv);
    }

    static ServerChoice choose(UnaryOperator<@Nullable String> systemProperties,
                               UnaryOperator<@Nullable String> environment) {
        Settings settings = new Settings(systemProperties, environment);
        Optional<String> url = settings.get("test.db.url", "TEST_DB_URL");
        if (url.isPresent()) {
            return new External(url.get(),
                    settings.get("test.db.user", "TEST_DB_USER").orElse("postgres"),
                    settings.get("test.db.password", "TEST_DB_PASSWORD").orElse(""));
        }
        String infra = settings.get("test.infra", "TEST_INFRA").orElse("embedded");
        return switch (infra) {
            case "containers" -> new Containers();
            case "embedded" -> new Embedded();
            default -> throw new IllegalStateException(
                    "test.infra must be 'containers' or 'embedded', not '" + infra + "'");
        };
    }

    record Settings(UnaryOperator<@Nullable String> systemProperties, UnaryOperator<@Nullable String> environment) {

        Optional<String> get(String property, String variable) {
            String value = systemProperties.apply(property);
            if (value == null || value.isBlank()) {
                value = environment.apply(variable);
            }
            return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
        }
    }
}
