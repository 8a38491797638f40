package com.stripesync.domain.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {

    @Test
    void headersAreFoundWhateverTheCaseOfTheirName() {
        WebhookDelivery delivery = new WebhookDelivery(bytes("{}"), Map.of("Stripe-Signature", List.of("t=1,v1=ab")));

        assertThat(delivery.header("stripe-signature")).hasValue("t=1,v1=ab");
        assertThat(delivery.header("STRIPE-SIGNATURE")).hasValue("t=1,v1=ab");
        assertThat(delivery.header("Content-Type")).isEmpty();
    }

    @Test
    void theBodySignedStaysAsItArrivedWhateverTheCallersDoWithTheirArrays() {
        byte[] received = bytes("{\"id\":\"evt_1\"}");
        WebhookDelivery delivery = new WebhookDelivery(received, Map.of());

        received[0] = 'X';
        delivery.body()[1] = 'Y';

        assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"evt_1\"}");
    }

    @Test
    void theHeadersCannotBeChangedAfterArrival() {
        Map<String, List<String>> received = new HashMap<>(Map.of("Stripe-Signature", List.of("t=1,v1=ab")));
        WebhookDelivery delivery = new WebhookDelivery(bytes("{}"), received);

        received.put("Stripe-Signature", List.of("t=2,v1=cd"));

        assertThat(delivery.header("Stripe-Signature")).hasValue("t=1,v1=ab");
        assertThatThrownBy(() -> delivery.headers().put("stripe-signature", List.of("t=3,v1=ef")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> delivery.headers().get("stripe-signature").add("t=4,v1=00"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
