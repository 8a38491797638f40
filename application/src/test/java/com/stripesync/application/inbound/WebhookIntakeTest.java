package com.stripesync.application.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripesync.domain.inbound.EventHandOffFailed;
import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundEventQueue;
import com.stripesync.domain.inbound.VerifiedEvent;
import com.stripesync.domain.inbound.WebhookDelivery;
import com.stripesync.domain.inbound.WebhookRejected;
import com.stripesync.domain.inbound.WebhookVerifier;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class WebhookIntakeTest {

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final String GOOD_SIGNATURE = "t=1764234000,v1=good";

    private final RecordingQueue queue = new RecordingQueue();
    private final WebhookIntake intake = new WebhookIntake(STRIPE, Optional.of(new SignatureChecker()), queue);

    @Test
    void withoutASigningSecretEveryWebhookIsRefusedAndNothingIsQueued() {
        WebhookIntake unconfigured = new WebhookIntake(STRIPE, Optional.empty(), queue);

        assertThatThrownBy(() -> unconfigured.receive(signed("evt_1 customer.updated cus_1")))
                .isInstanceOf(WebhooksNotConfigured.class)
                .hasMessageContaining("stripe");

        assertThat(queue.queued()).isEmpty();
        assertThat(unconfigured.ignoredEvents()).isZero();
    }

    @Test
    void aWebhookThatFailsVerificationIsRejectedAndNothingIsQueued() {
        WebhookDelivery forged = delivery("evt_1 customer.updated cus_1", "t=1764234000,v1=forged");

        assertThatThrownBy(() -> intake.receive(forged)).isInstanceOf(WebhookRejected.class);
        assertThatThrownBy(() -> intake.receive(delivery("evt_1 customer.updated cus_1", null)))
                .isInstanceOf(WebhookRejected.class);

        assertThat(queue.queued()).isEmpty();
        assertThat(intake.ignoredEvents()).isZero();
    }

    @Test
    void anEventOfATypeTheCoreHandlesIsQueuedOnceAsItArrived() {
        String body = "evt_1 customer.updated cus_1";

        WebhookReceipt receipt = intake.receive(signed(body));

        assertThat(receipt).isEqualTo(new WebhookReceipt(new EventId("evt_1"), "customer.updated", true));
        assertThat(queue.queued()).containsExactly(new Queued(STRIPE, new EventId("evt_1"), new ExternalId("cus_1"), body));
        assertThat(intake.ignoredEvents()).isZero();
    }

    @Test
    void anEventOfATypeTheCoreDoesNotHandleIsAcknowledgedAndCountedButNotQueued() {
        WebhookReceipt first = intake.receive(signed("evt_1 invoice.paid -"));
        WebhookReceipt second = intake.receive(signed("evt_2 charge.refunded -"));

        assertThat(first).isEqualTo(new WebhookReceipt(new EventId("evt_1"), "invoice.paid", false));
        assertThat(second.queued()).isFalse();
        assertThat(intake.ignoredEvents()).isEqualTo(2);
        assertThat(queue.queued()).isEmpty();
    }

    @Test
    void anEventTheQueueCouldNotStoreFailsTheWebhookSoTheSystemSendsItAgain() {
        queue.failNext(new EventHandOffFailed("not acknowledged in time", new TimeoutException()));

        assertThatThrownBy(() -> intake.receive(signed("evt_1 customer.deleted cus_1")))
                .isInstanceOf(EventHandOffFailed.class);

        assertThat(queue.queued()).isEmpty();
        assertThat(intake.receive(signed("evt_1 customer.deleted cus_1")).queued()).isTrue();
        assertThat(queue.queued()).hasSize(1);
    }

    private static WebhookDelivery signed(String body) {
        return delivery(body, GOOD_SIGNATURE);
    }

    private static WebhookDelivery delivery(String body, @Nullable String signature) {
        return new WebhookDelivery(body.getBytes(StandardCharsets.UTF_8),
                signature == null ? Map.of() : Map.of("Stripe-Signature", List.of(signature)));
    }

    /**
     * Stands in for Stripe's verifier: a webhook is genuine when it carries the good signature; its body reads
     * {@code <event id> <type> <customer id or ->}, and the customer types are the ones the core handles.
     */
    private static final class SignatureChecker implements WebhookVerifier {

        private static final Set<String> HANDLED = Set.of("customer.created", "customer.updated", "customer.deleted");

        @Override
        public SystemName system() {
            return STRIPE;
        }

        @Override
        public VerifiedEvent verify(WebhookDelivery delivery) {
            if (!delivery.header("stripe-signature").filter(GOOD_SIGNATURE::equals).isPresent()) {
                throw new WebhookRejected("No signatures found matching the expected signature for payload");
            }
            String[] envelope = new String(delivery.body(), StandardCharsets.UTF_8).split(" ");
            ExternalId subject = envelope[2].equals("-") ? null : new ExternalId(envelope[2]);
            return new VerifiedEvent(new EventId(envelope[0]), envelope[1], subject, HANDLED.contains(envelope[1]),
                    delivery.body());
        }
    }

    /** One event handed to the queue, its payload as text. */
    private record Queued(SystemName system, EventId event, @Nullable ExternalId subject, String payload) {
    }

    private static final class RecordingQueue implements InboundEventQueue {

        private final List<Queued> queued = new ArrayList<>();
        private @Nullable EventHandOffFailed nextFailure;

        void failNext(EventHandOffFailed failure) {
            nextFailure = failure;
        }

        List<Queued> queued() {
            return List.copyOf(queued);
        }

        @Override
        public void enqueue(SystemName system, VerifiedEvent event) {
            EventHandOffFailed failure = nextFailure;
            if (failure != null) {
                nextFailure = null;
                throw failure;
            }
            queued.add(new Queued(system, event.id(), event.customer().orElse(null),
                    new String(event.payload(), StandardCharsets.UTF_8)));
        }
    }
}
