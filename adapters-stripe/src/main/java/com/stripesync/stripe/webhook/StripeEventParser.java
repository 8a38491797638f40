package com.stripesync.stripe.webhook;

import com.google.gson.JsonObject;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.InvalidCustomerException;
import com.stripesync.domain.inbound.ExternalCustomerEvent;
import com.stripesync.domain.inbound.ExternalEventKind;
import com.stripesync.domain.inbound.InboundEventParser;
import com.stripesync.domain.inbound.UnreadableEvent;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalCustomer;
import com.stripesync.stripe.customer.StripeCustomers;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads a queued Stripe event into an {@link ExternalCustomerEvent}, whatever API version rendered it: the
 * event is read as a JSON tree by member name, never through stripe-java's typed model (which yields
 * nothing for versions other than the one it pins).
 *
 * <ul>
 *   <li>{@code customer.created}, {@code customer.updated} and {@code customer.deleted} are read; any other
 *       type of event is empty.</li>
 *   <li>The customer's {@code name}, {@code email} and our id in {@code metadata.stripe_sync_id} are taken
 *       when our domain can hold them: a blank name, an address {@link Email} refuses or a malformed id
 *       read as absent, never as a failure (Stripe accepts values we do not).</li>
 *   <li>A deletion may carry the whole customer as it was, or only {@code {id, object, deleted: true}}; the
 *       latter has no state.</li>
 *   <li>{@code created} (whole seconds) is when it happened; {@code request.idempotency_key} names the request
 *       that caused it, which tells our own writes echoed back.</li>
 * </ul>
 * A payload that is not a Stripe event, or a customer event without its customer's id or its time, is an
 * {@link UnreadableEvent}.
 */
public final class StripeEventParser implements InboundEventParser {

    /** Members only a full customer carries; a deleted stub has none of them. */
    private static final List<String> CUSTOMER_DETAILS = List.of("name", "email", "metadata");

    @Override
    public SystemName system() {
        return StripeCustomers.NAME;
    }

    @Override
    public Optional<ExternalCustomerEvent> parse(byte[] payload) {
        try {
            EventJson event = EventJson.readCustomerChange(payload);
            Optional<ExternalEventKind> kind = event.customerChange();
            if (kind.isEmpty()) {
                return Optional.empty();
            }
            JsonObject object = event.customerObject();
            ExternalId id = event.customerId(object);
            ExternalCustomer customer = kind.get() == ExternalEventKind.DELETED && isStub(object)
                    ? null : customer(id, object);
            return Optional.of(new ExternalCustomerEvent(event.id(), StripeCustomers.NAME, kind.get(), id,
                    event.created(), customer, event.requestIdempotencyKey().orElse(null)));
        } catch (MalformedEvent e) {
            throw new UnreadableEvent(e.getMessage());
        }
    }

    private static boolean isStub(JsonObject object) {
        return CUSTOMER_DETAILS.stream().noneMatch(object::has);
    }

    private static ExternalCustomer customer(ExternalId id, JsonObject object) {
        Optional<String> localId = EventJson.object(object, "metadata")
                .flatMap(metadata -> EventJson.string(metadata, StripeCustomers.LOCAL_ID_METADATA_KEY));
        return new ExternalCustomer(id,
                valid(EventJson.string(object, "name"), CustomerName::new),
                valid(EventJson.string(object, "email"), Email::new),
                valid(localId, CustomerId::parse));
    }

    private static <T> @Nullable T valid(Optional<String> value, Function<String, T> parse) {
        try {
            return value.filter(text -> !text.isBlank()).map(parse).orElse(null);
        } catch (InvalidCustomerException e) {
            return null;
        }
    }
}
