package com.stripesync.testing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The fixtures look like what Stripe posts, byte for byte where the format matters. */
class StripeEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    @Test
    void aDeletedStubIsRenderedPrettyPrintedAsStripeDoes() {
        String json = StripeEvents.deletedStub("cus_NffrFeUfNV2Hib").withId("evt_1").automatic().toJson();

        assertThat(json).isEqualTo("""
                {
                  "id": "evt_1",
                  "object": "event",
                  "api_version": "2026-07-29.dahlia",
                  "created": 1795770000,
                  "data": {
                    "object": {
                      "id": "cus_NffrFeUfNV2Hib",
                      "object": "customer",
                      "deleted": true
                    }
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {
                    "id": null,
                    "idempotency_key": null
                  },
                  "type": "customer.deleted"
                }""");
    }

    @Test
    void aCreatedEventCarriesTheWholeCustomerInStripesOrder() throws Exception {
        UUID localId = UUID.randomUUID();
        StripeEvents.Customer customer = StripeEvents.customer().withName("Ada Lovelace").withLocalId(localId);

        byte[] body = StripeEvents.created(customer).toBytes();

        JsonNode event = JSON.readTree(body);
        assertThat(event.path("id").asText()).matches("evt_[0-9A-Za-z]{24}");
        assertThat(event.path("object").asText()).isEqualTo("event");
        assertThat(event.path("type").asText()).isEqualTo("customer.created");
        assertThat(event.path("api_version").asText()).isEqualTo(StripeEvents.DEFAULT_API_VERSION);
        assertThat(event.path("request").path("id").asText()).startsWith("req_");
        assertThat(event.path("request").path("idempotency_key").asText()).isNotBlank();
        assertThat(event.path("data").has("previous_attributes")).isFalse();
        JsonNode object = event.path("data").path("object");
        List<String> members = new ArrayList<>();
        object.fieldNames().forEachRemaining(members::add);
        assertThat(members).containsExactly("id", "object", "address", "balance", "created",
                "currency", "default_source", "delinquent", "description", "discount", "email", "invoice_prefix",
                "invoice_settings", "livemode", "metadata", "name", "next_invoice_sequence", "phone",
                "preferred_locales", "shipping", "tax_exempt", "test_clock");
        assertThat(object.path("id").asText()).isEqualTo(customer.id()).matches("cus_[0-9A-Za-z]{14}");
        assertThat(object.path("metadata").path("stripe_sync_id").asText()).isEqualTo(localId.toString());
        assertThat(object.path("email").asText()).endsWith("@example.com");
        assertThat(object.path("preferred_locales").get(0).asText()).isEqualTo("en-GB");
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\n  \"data\": {\n    \"object\": {\n");
    }

    @Test
    void aCustomerEventWeighsAboutWhatStripeSends() {
        int size = StripeEvents.created(StripeEvents.customer()).toBytes().length;

        assertThat(size).isBetween(1_300, 2_200);
    }

    @Test
    void anUpdateCarriesThePreviousAttributesAndTheChosenRequestAndVersion() throws Exception {
        StripeEvents.Customer customer = StripeEvents.customer().withEmail("new@example.com");

        JsonNode event = JSON.readTree(StripeEvents.updated(customer, Map.of("email", "old@example.com"))
                .withApiVersion("2019-02-19").causedBy("stripe-sync-change-42-update").withLivemode(true).toBytes());

        assertThat(event.path("data").path("previous_attributes").path("email").asText()).isEqualTo("old@example.com");
        assertThat(event.path("data").path("object").path("email").asText()).isEqualTo("new@example.com");
        assertThat(event.path("api_version").asText()).isEqualTo("2019-02-19");
        assertThat(event.path("request").path("idempotency_key").asText()).isEqualTo("stripe-sync-change-42-update");
        assertThat(event.path("livemode").asBoolean()).isTrue();
    }

    @Test
    void freshIdsDoNotRepeat() {
        assertThat(List.of(StripeEvents.newEventId(), StripeEvents.newEventId(), StripeEvents.newEventId()))
                .doesNotHaveDuplicates();
    }

    @Test
    void theSignatureIsTheHmacOfTheTimestampADotAndTheExactBytes() throws Exception {
        byte[] body = StripeEvents.created(StripeEvents.customer()).toBytes();
        Instant at = Instant.parse("2026-11-27T10:15:30.900Z");

        Matcher header = SIGNATURE.matcher(StripeWebhookSigner.sign(body, "whsec_test", at));

        assertThat(header.matches()).isTrue();
        assertThat(header.group(1)).isEqualTo(String.valueOf(at.getEpochSecond()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("whsec_test".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signed = at.getEpochSecond() + "." + new String(body, StandardCharsets.UTF_8);
        assertThat(header.group(2)).isEqualTo(HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void signingWithSeveralSecretsGivesOneSignatureEach() {
        String header = StripeWebhookSigner.sign("{}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH.plusSeconds(7),
                List.of("whsec_new", "whsec_old"));

        assertThat(header).matches("t=7,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(header.split(",")[1]).isNotEqualTo(header.split(",")[2]);
        assertThat(header).startsWith(StripeWebhookSigner.sign("{}".getBytes(StandardCharsets.UTF_8), "whsec_new",
                Instant.EPOCH.plusSeconds(7)));
    }

    @Test
    void aDeliveryCarriesTheHeadersStripeSends() {
        byte[] body = StripeEvents.deletedStub("cus_1").toBytes();

        var delivery = StripeWebhookSigner.delivery(body, "whsec_test", Instant.EPOCH.plusSeconds(7));

        assertThat(delivery.body()).isEqualTo(body);
        assertThat(delivery.header("stripe-signature")).hasValueSatisfying(value -> assertThat(value).startsWith("t=7,v1="));
        assertThat(delivery.header("Content-Type")).contains("application/json; charset=utf-8");
    }
}
