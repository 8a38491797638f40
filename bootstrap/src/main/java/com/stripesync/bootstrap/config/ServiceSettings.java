package com.stripesync.bootstrap.config;

import com.stripesync.persistence.DatabaseSettings;
import io.helidon.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything the service reads from its configuration. Each key can be set as an environment variable
 * (the README's table), a system property, or in {@code application.yaml}.
 *
 * @param port       {@code SERVER_PORT}, 0 for any free port
 * @param host       {@code SERVER_HOST}
 * @param database   {@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}: absent means the embedded default
 * @param dataDir    {@code STRIPE_SYNC_DATA_DIR}: where the embedded default keeps its data
 * @param dbPoolSize {@code DB_POOL_SIZE}
 */
public record ServiceSettings(int port, String host, Optional<ExternalDatabase> database, Path dataDir, int dbPoolSize) {

    public static final Duration DB_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** An external PostgreSQL; the password is never printed. */
    public record ExternalDatabase(String url, String user, @Nullable String password) {

        @Override
        public String toString() {
            return "ExternalDatabase[url=" + url + ", user=" + user + "]";
        }
    }

    public static ServiceSettings from(Config config) {
        int port = integer(config, "server.port", "SERVER_PORT", 8080, 0, 65_535);
        String host = text(config, "server.host").orElse("0.0.0.0");
        Optional<ExternalDatabase> database = text(config, "db.url").map(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new InvalidSetting("DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got: "
                        + DatabaseSettings.redact(url));
            }
            return new ExternalDatabase(url, text(config, "db.user").orElse("postgres"),
                    text(config, "db.password").orElse(null));
        });
        Path dataDir = Path.of(text(config, "stripe.sync.data.dir").orElse("./.stripe-sync")).toAbsolutePath().normalize();
        int poolSize = integer(config, "db.pool.size", "DB_POOL_SIZE", 8, 1, 200);
        return new ServiceSettings(port, host, database, dataDir, poolSize);
    }

    private static Optional<String> text(Config config, String key) {
        return config.get(key).asString().asOptional().map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int integer(Config config, String key, String variable, int fallback, int min, int max) {
        Optional<String> raw = text(config, key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidSetting(variable + " must be a whole number from " + min + " to " + max + ", got: " + raw.get());
        }
    }
}
