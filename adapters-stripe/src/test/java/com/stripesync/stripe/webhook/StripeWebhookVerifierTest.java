package com.stripesync.stripe.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.inbound.WebhookDelivery;
import com.stripesync.domain.inbound.WebhookRejected;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.testing.stripe.StripeEvents;
import com.stripesync.testing.stripe.StripeWebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeWebhookVerifierTest {

    private static final String NEW = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OLD = "whsec_Q3v7OldSecretValue0000000000000000";
    private static final String UNKNOWN = "whsec_SomebodyElsesSecret000000000000000";
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final StripeWebhookVerifier verifier = new StripeWebhookVerifier(StripeWebhookSettings.of(NEW, OLD),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSignedCustomerUpdateVerifiesWithItsIdTypeCustomerAndExactBytes() {
        StripeEvents.Customer customer = StripeEvents.customer();
        StripeEvents.Event update = StripeEvents.updated(customer, Map.of("name", "Ada Byron"));
        byte[] body = update.toBytes();

        VerifiedEvent event = verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW));

        assertThat(event.id()).isEqualTo(new EventId(update.id()));
        assertThat(event.type()).isEqualTo("customer.updated");
        assertThat(event.customer()).contains(new ExternalId(customer.id()));
        assertThat(event.relevant()).isTrue();
        assertThat(event.payload()).isEqualTo(body);
        assertThat(verifier.system().value()).isEqualTo("stripe");
    }

    @Test
    void bodiesSignedInARowByOneKeyedSignerEachVerify() {
        // The benchmark's senders keep one keyed HMAC each: every signature must still be the body's own.
        StripeWebhookSigner.Keyed signer = StripeWebhookSigner.keyedWith(NEW);
        StripeEvents.Customer customer = StripeEvents.customer();
        List<byte[]> bodies = List.of(StripeEvents.created(customer).toBytes(),
                StripeEvents.updated(customer, Map.of("name", "Ada Byron")).toBytes(),
                StripeEvents.updated(customer, Map.of("name", "Ada King")).toBytes());

        for (byte[] body : bodies) {
            String header = signer.sign(body, NOW);

            assertThat(header).isEqualTo(StripeWebhookSigner.sign(body, NEW, NOW));
            assertThat(verifier.verify(StripeWebhookSigner.delivery(body, header)).payload()).isEqualTo(body);
        }
    }

    @Test
    void anEventWithTextBeyondAsciiVerifiesOnItsExactBytes() {
        StripeEvents.Customer customer = StripeEvents.customer().withName("Zoë Ångström 東京");
        byte[] body = StripeEvents.created(customer).toBytes();

        VerifiedEvent event = verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW));

        assertThat(event.customer()).contains(new ExternalId(customer.id()));
        assertThat(event.payload()).isEqualTo(body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("Zoë", "Zoe").getBytes(StandardCharsets.UTF_8);
        assertRejected(StripeWebhookSigner.delivery(tampered, StripeWebhookSigner.sign(body, NEW, NOW)))
                .hasMessageContaining("No signature");
    }

    @Test
    void createdAndDeletedEventsAndDeletedStubsAreRelevant() {
        StripeEvents.Customer customer = StripeEvents.customer();

        for (StripeEvents.Event event : List.of(StripeEvents.created(customer), StripeEvents.deleted(customer),
                StripeEvents.deletedStub(customer.id()))) {
            VerifiedEvent verified = verifier.verify(StripeWebhookSigner.delivery(event.toBytes(), NEW, NOW));
            assertThat(verified.relevant()).as(event.type()).isTrue();
            assertThat(verified.customer()).contains(new ExternalId(customer.id()));
        }
    }

    @Test
    void anEventOfAnotherTypeVerifiesButIsNotRelevant() {
        byte[] body = StripeEvents.event("invoice.paid", Map.of("id", "in_1", "object", "invoice", "customer", "cus_1"))
                .toBytes();

        VerifiedEvent event = verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW));

        assertThat(event.relevant()).isFalse();
        assertThat(event.type()).isEqualTo("invoice.paid");
        assertThat(event.customer()).isEmpty();
    }

    @Test
    void anEventAboutSomethingOfACustomerNamesTheCustomerNotTheThing() {
        byte[] body = StripeEvents.event("customer.subscription.updated",
                Map.of("id", "sub_1", "object", "subscription", "customer", "cus_Owner")).toBytes();

        VerifiedEvent event = verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW));

        assertThat(event.relevant()).isFalse();
        assertThat(event.customer()).contains(new ExternalId("cus_Owner"));
    }

    @Test
    void anEventOfAnotherApiVersionVerifies() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).withApiVersion("2019-02-19").toBytes();

        assertThat(verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW)).relevant()).isTrue();
    }

    @Test
    void theOldAndTheNewSecretAreBothAcceptedWhileASecretIsRolled() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertThat(verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW)).payload()).isEqualTo(body);
        assertThat(verifier.verify(StripeWebhookSigner.delivery(body, OLD, NOW)).payload()).isEqualTo(body);
        assertThat(verifier.verify(StripeWebhookSigner.delivery(body,
                StripeWebhookSigner.sign(body, NOW, List.of(UNKNOWN, OLD)))).payload()).isEqualTo(body);
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertRejected(StripeWebhookSigner.delivery(body, UNKNOWN, NOW)).hasMessageContaining("No signature");
    }

    @Test
    void aBodyChangedByOneByteAfterSigningIsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer().withName("Ada Lovelace")).toBytes();
        String signature = StripeWebhookSigner.sign(body, NEW, NOW);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("Ada Lovelace", "Ada Lovelacf")
                .getBytes(StandardCharsets.UTF_8);
        byte[] reformatted = new String(body, StandardCharsets.UTF_8).replace("\n  ", "\n ")
                .getBytes(StandardCharsets.UTF_8);

        assertRejected(StripeWebhookSigner.delivery(tampered, signature)).hasMessageContaining("No signature");
        assertRejected(StripeWebhookSigner.delivery(reformatted, signature)).hasMessageContaining("No signature");
    }

    @Test
    void aSignatureOlderThanTheToleranceIsRefusedAsAReplay() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertRejected(StripeWebhookSigner.delivery(body, NEW, NOW.minusSeconds(301))).hasMessageContaining("300 s old");
        assertThat(verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW.minusSeconds(300))).relevant()).isTrue();
    }

    @Test
    void theToleranceIsConfigurable() {
        StripeWebhookVerifier strict = new StripeWebhookVerifier(
                new StripeWebhookSettings(List.of(NEW), Duration.ofSeconds(10)), Clock.fixed(NOW, ZoneOffset.UTC));
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertThatThrownBy(() -> strict.verify(StripeWebhookSigner.delivery(body, NEW, NOW.minusSeconds(11))))
                .isInstanceOf(WebhookRejected.class).hasMessageContaining("10 s old");
        assertThat(strict.verify(StripeWebhookSigner.delivery(body, NEW, NOW.minusSeconds(10))).relevant()).isTrue();
    }

    @Test
    void aTimestampAheadOfOurClockIsAcceptedAsStripesLibrariesDo() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertThat(verifier.verify(StripeWebhookSigner.delivery(body, NEW, NOW.plusSeconds(30))).relevant()).isTrue();
    }

    @Test
    void aMissingSignatureHeaderIsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertRejected(new WebhookDelivery(body, Map.of("Content-Type", List.of("application/json"))))
                .hasMessageContaining("Stripe-Signature header is missing");
        assertRejected(new WebhookDelivery(body, Map.of("Stripe-Signature", List.of())))
                .hasMessageContaining("missing");
        assertRejected(StripeWebhookSigner.delivery(body, "  ")).hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "t=abc,v1=00", "t=,v1=00", "v1=00", "t=1795773600", "t=1795773600,v1=",
            "t=1795773600,v1", "t,v1=00", ",,,", "t=0,v1=00", "t=-5,v1=00", "t=99999999999999999999,v1=00",
            "t=1795773600, v1=00", "=,=", "t=1795773600,v0=00"})
    void aGarbledSignatureHeaderIsRefusedWithoutEchoingIt(String header) {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();

        assertRejected(StripeWebhookSigner.delivery(body, header))
                .hasMessageContaining("malformed")
                .message().doesNotContain(header);
    }

    @Test
    void anOverlongSignatureHeaderIsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();
        String header = StripeWebhookSigner.sign(body, NEW, NOW) + ",v1=" + "0".repeat(5000);

        assertRejected(StripeWebhookSigner.delivery(body, header)).hasMessageContaining("malformed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"id\":\"evt_1\",", "{\"id\":\"evt_1\"} {}", "{id:\"evt_1\"}",
            "{'id':'evt_1'}",
            // In members the endpoint skips (it reads only the envelope): still checked.
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"livemode\":tru}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"data\":{\"object\":{\"id\":\"cus_1\",\"name\":'Ada'}}}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"data\":{\"previous_attributes\":{\"a\":[1,}}}}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"pending_webhooks\":1 2}"})
    void aSignedBodyThatIsNotJsonIsRefused(String body) {
        assertRejected(signed(body)).hasMessageContaining("not well-formed JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"evt_1\"", "42", "null", "true"})
    void aSignedJsonValueThatIsNotAnObjectIsRefused(String body) {
        assertRejected(signed(body)).hasMessageContaining("not a JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":\"customer.created\"}", "{\"id\":\"evt_1\"}", "{\"id\":\"\",\"type\":\"x\"}",
            "{\"id\":42,\"type\":\"customer.created\"}", "{\"id\":\"evt_1\",\"type\":null}",
            "{\"id\":\"cus_1\",\"object\":\"customer\",\"type\":\"individual\"}"})
    void aSignedJsonObjectThatIsNotAStripeEventIsRefused(String body) {
        assertRejected(signed(body)).hasMessageContaining("not a Stripe event");
    }

    @Test
    void aCustomerEventWithoutItsCustomerOrTimeIsRefused() {
        assertRejected(signed("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"customer.updated\",\"created\":1}"))
                .hasMessageContaining("no data.object");
        assertRejected(signed("{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"created\":1,"
                + "\"data\":{\"object\":{\"object\":\"customer\",\"name\":\"Ada\"}}}")).hasMessageContaining("no id");
        assertRejected(signed("{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"created\":1,"
                + "\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\"}}}")).hasMessageContaining("not a customer");
        assertRejected(signed("{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"created\":\"yesterday\","
                + "\"data\":{\"object\":{\"id\":\"cus_1\",\"object\":\"customer\"}}}")).hasMessageContaining("created");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefused() {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();
        byte[] latin1 = Arrays.copyOf(body, body.length + 1);
        latin1[latin1.length - 1] = (byte) 0xE9;

        assertRejected(StripeWebhookSigner.delivery(latin1, NEW, NOW)).hasMessageContaining("UTF-8");
    }

    @Test
    void noRefusalQuotesTheBodyTheHeaderOrASecret() {
        byte[] body = StripeEvents.created(StripeEvents.customer().withName("Private Person")).toBytes();
        String signature = StripeWebhookSigner.sign(body, UNKNOWN, NOW);

        assertRejected(StripeWebhookSigner.delivery(body, signature)).message()
                .doesNotContain("Private Person", signature.substring(2, 12), signature.substring(signature.length() - 20),
                        "MfKQ9r8", "Q3v7Old", "SomebodyElses");
    }

    @Test
    void everyVerdictOnTheSignatureIsStripeJavasOwn() throws Exception {
        byte[] body = StripeEvents.created(StripeEvents.customer().withName("Zoë Ångström")).toBytes();
        String payload = new String(body, StandardCharsets.UTF_8);
        long now = NOW.getEpochSecond();
        String valid = v1(StripeWebhookSigner.sign(body, NEW, NOW));
        // stripe-java's own HMAC, so that neither side of the comparison rests on our signing code alone.
        String byStripeJava = Webhook.Util.computeHmacSha256(OLD, (now - 10) + "." + payload);
        String other = v1(StripeWebhookSigner.sign(body, UNKNOWN, NOW));
        List<String> headers = List.of(
                "t=" + now + ",v1=" + valid,
                "t=" + (now - 10) + ",v1=" + byStripeJava,
                "t=" + now + ",v1=" + other,
                "t=" + now + ",v1=" + other + ",v1=" + valid,
                "t=" + now + ",v0=" + other + ",v1=" + valid,
                "t=" + now + ",v1=" + valid + ",t=" + (now - 5),
                "t=0" + now + ",v1=" + valid,
                "t=" + now + ",v1=" + valid.toUpperCase(Locale.ROOT),
                "t=" + now + ",v1=" + valid.substring(1),
                "t=" + now + ",v1=" + valid + "0",
                "t=" + (now + 1) + ",v1=" + valid,
                v1Header(body, NEW, now - 300),
                v1Header(body, NEW, now - 301),
                v1Header(body, UNKNOWN, now - 301),
                v1Header(body, OLD, now + 60));
        int accepted = 0;

        for (String header : headers) {
            boolean stripeJava = stripeJavaAccepts(payload, header);
            boolean ours = accepts(StripeWebhookSigner.delivery(body, header));

            assertThat(ours).as(header).isEqualTo(stripeJava);
            accepted += ours ? 1 : 0;
        }
        assertThat(accepted).as("both verdicts occur").isBetween(1, headers.size() - 1);
    }

    private static String v1(String header) {
        return header.substring(header.indexOf("v1=") + 3);
    }

    private static String v1Header(byte[] body, String secret, long epochSecond) {
        return StripeWebhookSigner.sign(body, secret, Instant.ofEpochSecond(epochSecond));
    }

    private static boolean stripeJavaAccepts(String payload, String header) {
        for (String secret : List.of(NEW, OLD)) {
            try {
                Webhook.Signature.verifyHeader(payload, header, secret, 300, Clock.fixed(NOW, ZoneOffset.UTC));
                return true;
            } catch (SignatureVerificationException e) {
                // not with this secret
            }
        }
        return false;
    }

    private boolean accepts(WebhookDelivery delivery) {
        try {
            verifier.verify(delivery);
            return true;
        } catch (WebhookRejected e) {
            return false;
        }
    }

    private static WebhookDelivery signed(String body) {
        return StripeWebhookSigner.delivery(body.getBytes(StandardCharsets.UTF_8), NEW, NOW);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(WebhookDelivery delivery) {
        return assertThatThrownBy(() -> verifier.verify(delivery)).isInstanceOf(WebhookRejected.class);
    }
}
