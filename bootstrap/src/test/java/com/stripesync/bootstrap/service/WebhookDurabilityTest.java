package com.stripesync.bootstrap.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.application.sync.DeleteMode;
import com.stripesync.embedded.kafka.EmbeddedKafkaBroker;
import com.stripesync.embedded.kafka.EmbeddedKafkaSettings;
import com.stripesync.testing.kafka.SharedKafka;
import com.stripesync.testing.postgres.DedicatedPostgres;
import com.stripesync.testing.postgres.TestDatabases;
import com.stripesync.testing.stripe.FakeStripe;
import com.stripesync.testing.stripe.StripeEvents;
import com.stripesync.testing.stripe.StripeEvents.Customer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A webhook is either durably queued before its 2xx, or refused so that Stripe retries: never lost. */
class WebhookDurabilityTest {

    /** The figures a test measures, for the reports; assertions never depend on them. */
    private static final Logger FIGURES = Logger.getLogger(WebhookDurabilityTest.class.getName());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void withTheBrokerStoppedTheWebhookIsRefusedWith503WithinFiveSecondsAndStripesRetryIsAppliedOnce() throws Exception {
        Path kafkaDir = workDir.resolve("kafka");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaSettings.forTests(kafkaDir));
        int port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        try (FakeStripe stripe = FakeStripe.start();
             RunningService service = RunningService.over(TestDatabases.freshSchema(),
                     RunningService.stripeAt(stripe, DeleteMode.DELETE), SharedKafka.freshTopicPrefix(),
                     broker.bootstrapServers())) {
            Customer dashboard = StripeEvents.customer();
            byte[] event = StripeEvents.created(dashboard).toBytes();
            broker.close();

            long started = System.nanoTime();
            HttpResponse<String> refused = service.postWebhook(event);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            FIGURES.info("Webhook refused " + took.toMillis() + " ms after the broker stopped");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(found(service, dashboard.email())).as("nothing applied from the refused webhook").isZero();

            broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaSettings(kafkaDir, port, 1, true));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> service.postWebhook(event).statusCode() == 200);
            service.postWebhook(event);

            await().atMost(Duration.ofSeconds(30)).until(() -> found(service, dashboard.email()) == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> found(service, dashboard.email()) == 1);
            assertThat(version(service, dashboard.email())).as("the redeliveries applied once").isEqualTo(1);
        } finally {
            broker.close();
        }
    }

    @Test
    void aWebhookIsAcceptedWhilePostgresIsDownAndAppliedOnceItIsBack() throws Exception {
        try (FakeStripe stripe = FakeStripe.start();
             DedicatedPostgres postgres = DedicatedPostgres.start();
             RunningService service = RunningService.over(postgres.database(),
                     RunningService.stripeAt(stripe, DeleteMode.DELETE))) {
            Customer dashboard = StripeEvents.customer();
            postgres.stop();

            HttpResponse<String> accepted = service.postWebhook(StripeEvents.created(dashboard).toBytes());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);

            postgres.restart();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> found(service, dashboard.email()) == 1);
        }
    }

    private static long version(RunningService service, String email) throws Exception {
        HttpResponse<String> page = service.get("/api/customers?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
        return JSON.readTree(page.body()).path("items").path(0).path("version").asLong();
    }

    private static int found(RunningService service, String email) throws Exception {
        HttpResponse<String> page = service.get("/api/customers?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
        if (page.statusCode() != 200) {
            return -1;
        }
        return JSON.readTree(page.body()).path("items").size();
    }
}
