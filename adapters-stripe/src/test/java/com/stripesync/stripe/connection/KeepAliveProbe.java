package com.stripesync.stripe.connection;

import com.stripe.StripeClient;
import com.stripesync.testing.stripe.FakeStripe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Run in a fresh JVM by {@link KeepAliveConnectionsTest} (the JDK reads {@code http.maxConnections} once
 * per JVM): rounds of concurrent calls through one client to a fake Stripe, then prints how many
 * connections they came on. Argument {@code sized}: as the service starts, {@code jdk-default}: without.
 */
final class KeepAliveProbe {

    static final int CONCURRENT_CALLS = 30;
    static final int ROUNDS = 3;

    private KeepAliveProbe() {
    }

    public static void main(String[] args) throws Exception {
        // Live-mode rates: the 30 calls of a round start within 0.3 s and are all in flight together.
        StripeSettings settings = StripeSettings.of("sk_test_keepalive000000000").withRates(100, 100);
        if (args.length == 1 && args[0].equals("sized")) {
            StripeClientFactory.sizeKeepAliveCache(System.getProperties(), settings);
        }
        try (FakeStripe stripe = FakeStripe.start();
             ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT_CALLS)) {
            stripe.faults().latency(Duration.ofMillis(500));
            StripeClient client = StripeClientFactory.create(settings.withApiBase(URI.create(stripe.apiBase())));
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<?>> calls = IntStream.range(0, CONCURRENT_CALLS)
                        .<Future<?>>mapToObj(i -> callers.submit(() -> client.v1().customers().list()))
                        .toList();
                for (Future<?> call : calls) {
                    call.get();
                }
            }
            System.out.println("requests=" + stripe.requests().size() + " connections=" + stripe.connectionsUsed()
                    + " maxConcurrent=" + stripe.maxConcurrentRequests());
        }
    }
}
