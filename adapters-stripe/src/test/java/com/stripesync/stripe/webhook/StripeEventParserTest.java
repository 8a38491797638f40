package com.stripesync.stripe.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.ExternalEventKind;
import com.stripesync.domain.inbound.UnreadableEvent;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.testing.stripe.StripeEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeEventParserTest {

    private static final Instant WHEN = Instant.parse("2026-11-27T10:15:30Z");

    private final StripeEventParser parser = new StripeEventParser();

    @Test
    void aCreatedCustomerIsReadWithItsDetailsOurIdTimeAndRequestKey() {
        CustomerId localId = CustomerId.generate();
        StripeEvents.Customer customer = StripeEvents.customer().withName("Ada Lovelace")
                .withEmail("Ada@Example.com").withLocalId(localId);
        StripeEvents.Event created = StripeEvents.created(customer).withCreated(WHEN).causedBy("dashboard-key-1");

        ExternalCustomerEvent event = parser.parse(created.toBytes()).orElseThrow();

        assertThat(event.id()).isEqualTo(new EventId(created.id()));
        assertThat(event.system().value()).isEqualTo("stripe");
        assertThat(event.kind()).isEqualTo(ExternalEventKind.CREATED);
        assertThat(event.externalId()).isEqualTo(new ExternalId(customer.id()));
        assertThat(event.occurredAt()).isEqualTo(WHEN);
        assertThat(event.causedByRequest()).contains("dashboard-key-1");
        assertThat(event.state()).contains(new ExternalCustomer(new ExternalId(customer.id()),
                new CustomerName("Ada Lovelace"), new Email("Ada@Example.com"), localId));
    }

    @Test
    void anUpdateIsReadAsTheCustomerAfterTheChange() {
        StripeEvents.Customer customer = StripeEvents.customer().withEmail("new@example.com");

        ExternalCustomerEvent event = parser.parse(StripeEvents.updated(customer, Map.of("email", "old@example.com"))
                .toBytes()).orElseThrow();

        assertThat(event.kind()).isEqualTo(ExternalEventKind.UPDATED);
        assertThat(event.state().map(ExternalCustomer::email)).contains(new Email("new@example.com"));
        assertThat(event.state().map(ExternalCustomer::localId)).isEmpty();
    }

    @Test
    void anUpdateOfACustomerWithoutNameOrEmailStillCarriesTheCustomer() {
        StripeEvents.Customer customer = StripeEvents.customer().withName(null).withEmail(null);

        ExternalCustomerEvent event = parser.parse(StripeEvents.updated(customer, Map.of("name", "Ada")).toBytes())
                .orElseThrow();

        assertThat(event.state()).contains(new ExternalCustomer(new ExternalId(customer.id()), null, null, null));
    }

    @Test
    void aDeletionWithTheWholeCustomerKeepsItsState() {
        CustomerId localId = CustomerId.generate();
        StripeEvents.Customer customer = StripeEvents.customer().withLocalId(localId);

        ExternalCustomerEvent event = parser.parse(StripeEvents.deleted(customer).toBytes()).orElseThrow();

        assertThat(event.kind()).isEqualTo(ExternalEventKind.DELETED);
        assertThat(event.state().flatMap(ExternalCustomer::localIdIfKnown)).contains(localId);
    }

    @Test
    void aDeletionCarryingOnlyTheStubHasNoState() {
        ExternalCustomerEvent event = parser.parse(StripeEvents.deletedStub("cus_Gone").toBytes()).orElseThrow();

        assertThat(event.kind()).isEqualTo(ExternalEventKind.DELETED);
        assertThat(event.externalId()).isEqualTo(new ExternalId("cus_Gone"));
        assertThat(event.state()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-07-29.dahlia", "2024-06-20", "2019-02-19", "2015-01-01", "2099-01-01.future"})
    void anEventOfAnyApiVersionIsRead(String apiVersion) {
        StripeEvents.Customer customer = StripeEvents.customer().withName("Grace Hopper");

        ExternalCustomerEvent event = parser.parse(StripeEvents.updated(customer, Map.of("name", "Grace"))
                .withApiVersion(apiVersion).toBytes()).orElseThrow();

        assertThat(event.state().map(ExternalCustomer::name)).contains(new CustomerName("Grace Hopper"));
    }

    @Test
    void anEventFromBeforeApiVersionsAndRequestObjectsIsRead() {
        String json = """
                {"id":"evt_old","object":"event","api_version":null,"created":1400000000,"livemode":false,
                 "pending_webhooks":0,"request":"req_legacy","type":"customer.updated",
                 "data":{"object":{"id":"cus_old","object":"customer","email":"old@example.com","metadata":{}}}}""";

        ExternalCustomerEvent event = parser.parse(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertThat(event.occurredAt()).isEqualTo(Instant.ofEpochSecond(1_400_000_000));
        assertThat(event.causedByRequest()).isEmpty();
        assertThat(event.state().map(ExternalCustomer::email)).contains(new Email("old@example.com"));
    }

    @Test
    void anAutomaticEventHasNoRequestKey() {
        ExternalCustomerEvent event = parser.parse(StripeEvents.created(StripeEvents.customer()).automatic().toBytes())
                .orElseThrow();

        assertThat(event.causedByRequest()).isEmpty();
    }

    @Test
    void ourOwnIdempotencyKeyIsCarriedSoTheEchoIsRecognised() {
        String ours = "stripe-sync-change-" + UUID.randomUUID() + "-create";

        ExternalCustomerEvent event = parser.parse(StripeEvents.created(StripeEvents.customer()).causedBy(ours).toBytes())
                .orElseThrow();

        assertThat(event.causedByRequest()).contains(ours);
    }

    @Test
    void valuesOurDomainCannotHoldReadAsAbsent() {
        StripeEvents.Customer customer = StripeEvents.customer().withName("   ").withEmail("not-an-email")
                .withMetadata("stripe_sync_id", "not-a-uuid");

        ExternalCustomer state = parser.parse(StripeEvents.created(customer).toBytes()).orElseThrow().state()
                .orElseThrow();

        assertThat(state).isEqualTo(new ExternalCustomer(new ExternalId(customer.id()), null, null, null));
    }

    @Test
    void aNameOverOurLimitReadsAsAbsentAndOtherMetadataIsIgnored() {
        StripeEvents.Customer customer = StripeEvents.customer().withName("x".repeat(CustomerName.MAX_LENGTH + 1))
                .withMetadata("plan", "gold");

        ExternalCustomer state = parser.parse(StripeEvents.created(customer).toBytes()).orElseThrow().state()
                .orElseThrow();

        assertThat(state.name()).isNull();
        assertThat(state.email()).isNotNull();
    }

    @Test
    void membersOfAnotherJsonTypeReadAsAbsent() {
        String json = """
                {"id":"evt_1","object":"event","created":1795770000,"type":"customer.updated","request":{"id":null,
                 "idempotency_key":7},"data":{"object":{"id":"cus_1","object":"customer","name":42,
                 "email":["a@example.com"],"metadata":"none"}}}""";

        ExternalCustomerEvent event = parser.parse(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertThat(event.state()).contains(new ExternalCustomer(new ExternalId("cus_1"), null, null, null));
        assertThat(event.causedByRequest()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"invoice.paid", "customer.subscription.updated", "customer.discount.created",
            "customer.source.created", "v1.billing.meter.error_report_triggered"})
    void aGenuineEventOfAnotherTypeIsEmpty(String type) {
        byte[] body = StripeEvents.event(type, Map.of("id", "sub_1", "object", "subscription", "customer", "cus_1"))
                .toBytes();

        assertThat(parser.parse(body)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "null", "{}", "{\"id\":\"evt_1\"}", "{\"type\":\"customer.created\"}",
            "{\"id\":\"cus_1\",\"object\":\"customer\",\"type\":\"individual\"}",
            // Malformed in members the parser skips (it reads the envelope and name, email, metadata only).
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1,\"data\":{\"object\":"
                    + "{\"id\":\"cus_1\",\"object\":\"customer\",\"address\":{\"city\":'Paris'}}}}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1,\"livemode\":fals,\"data\":{\"object\":"
                    + "{\"id\":\"cus_1\",\"object\":\"customer\"}}}"})
    void aPayloadThatIsNotAStripeEventIsUnreadable(String payload) {
        assertThatThrownBy(() -> parser.parse(payload.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEvent.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1,\"data\":{\"object\":null}}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1,\"data\":{\"object\":{\"object\":\"customer\"}}}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1,\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\"}}}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"data\":{\"object\":{\"id\":\"cus_1\"}}}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1.5,\"data\":{\"object\":{\"id\":\"cus_1\"}}}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":-1,\"data\":{\"object\":{\"id\":\"cus_1\"}}}",
            "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1e300,\"data\":{\"object\":{\"id\":\"cus_1\"}}}"})
    void aCustomerEventWithoutItsCustomersIdOrItsTimeIsUnreadable(String payload) {
        assertThatThrownBy(() -> parser.parse(payload.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEvent.class)
                .message().doesNotContain("evt_1");
    }

    @Test
    void aCustomerIdLongerThanOurLimitIsUnreadable() {
        byte[] body = StripeEvents.deletedStub("cus_" + "x".repeat(ExternalId.MAX_LENGTH)).toBytes();

        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(UnreadableEvent.class);
    }

    @Test
    void aBodyThatIsNotUtf8IsUnreadable() {
        assertThatThrownBy(() -> parser.parse(new byte[] {'{', (byte) 0xC3, '}'})).isInstanceOf(UnreadableEvent.class);
    }
}
