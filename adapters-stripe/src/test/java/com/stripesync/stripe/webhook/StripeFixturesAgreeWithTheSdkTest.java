package com.stripesync.stripe.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.Stripe;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.stripesync.testing.stripe.StripeEvents;
import com.stripesync.testing.stripe.StripeWebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test fixtures are only worth their name if stripe-java itself takes them for Stripe's: the same
 * signatures, the same API version, events its typed model reads.
 */
class StripeFixturesAgreeWithTheSdkTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void theSignerSignsAsStripeJavaDoes() throws Exception {
        String payload = StripeEvents.created(StripeEvents.customer().withName("Zoë Ångström")).toJson();
        long timestamp = 1_795_773_600L;

        assertThat(StripeWebhookSigner.sign(payload.getBytes(StandardCharsets.UTF_8), SECRET,
                Instant.ofEpochSecond(timestamp)))
                .isEqualTo(Webhook.Signature.generateSignatureHeader(payload, SECRET, timestamp));
    }

    @Test
    void fixturesAreRenderedInTheApiVersionTheSdkPins() {
        assertThat(StripeEvents.DEFAULT_API_VERSION).isEqualTo(Stripe.API_VERSION);
    }

    @Test
    void stripeJavaVerifiesASignedFixtureAndReadsItsCustomer() throws Exception {
        StripeEvents.Customer customer = StripeEvents.customer().withName("Ada Lovelace").withLocalId("x");
        byte[] body = StripeEvents.updated(customer, Map.of("name", "Ada Byron")).toBytes();
        String header = StripeWebhookSigner.sign(body, SECRET, Instant.now());

        Event event = Webhook.constructEvent(new String(body, StandardCharsets.UTF_8), header, SECRET);

        Customer typed = (Customer) event.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(typed.getId()).isEqualTo(customer.id());
        assertThat(typed.getName()).isEqualTo("Ada Lovelace");
        assertThat(typed.getMetadata()).containsEntry("stripe_sync_id", "x");
        assertThat(event.getRequest().getIdempotencyKey()).isNotBlank();
    }

    @Test
    void anEventOfAnotherApiVersionIsEmptyToTheTypedModelButReadByTheParser() throws Exception {
        byte[] body = StripeEvents.created(StripeEvents.customer()).withApiVersion("2019-02-19").toBytes();
        String header = StripeWebhookSigner.sign(body, SECRET, Instant.now());

        Event event = Webhook.constructEvent(new String(body, StandardCharsets.UTF_8), header, SECRET);

        assertThat(event.getDataObjectDeserializer().getObject()).isEmpty();
        assertThat(new StripeEventParser().parse(body)).isPresent();
    }
}
