package com.stripesync.bootstrap;

import com.stripesync.bootstrap.config.InvalidSetting;
import com.stripesync.bootstrap.config.ServiceSettings;
import com.stripesync.stripe.connection.StripeClientFactory;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import java.io.UncheckedIOException;
import java.util.logging.Logger;

/** {@code java -jar stripe-sync.jar [all|api|worker]}: starts the service (or one role of it) and stops it cleanly on SIGTERM. */
public final class Main {

    private static final String LOG_MANAGER = "java.util.logging.manager";

    static {
        // Before the first logger exists, or the JDK picks its own manager (a -D given by the user wins).
        if (System.getProperty(LOG_MANAGER) == null) {
            System.setProperty(LOG_MANAGER, ShutdownSafeLogManager.class.getName());
        }
    }

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        LogConfig.configureRuntime();
        StripeSyncService service;
        Role role;
        try {
            role = Role.parse(args);
            ServiceSettings settings = ServiceSettings.from(Config.create());
            // Before any HTTP request: the JDK reads these once (a -D given by the user wins).
            StripeClientFactory.neverResendPosts(System.getProperties());
            settings.stripe().api()
                    .ifPresent(api -> StripeClientFactory.sizeKeepAliveCache(System.getProperties(), api));
            service = StripeSyncService.start(settings, role);
        } catch (InvalidSetting | UncheckedIOException | IllegalArgumentException e) {
            // One line, no stack trace: the operator needs the variable and the cause, not our internals.
            System.err.println("stripe-sync cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping stripe-sync");
            service.close();
        }, "stripe-sync-shutdown"));
        LOG.info(role == Role.WORKER
                ? "stripe-sync worker running; health on http://localhost:" + service.port() + "/observe/health"
                : "stripe-sync listening on http://localhost:" + service.port() + "/api/customers");
    }
}
