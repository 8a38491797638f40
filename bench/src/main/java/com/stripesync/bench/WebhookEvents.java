package com.stripesync.bench;

import com.stripesync.testing.stripe.StripeEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The webhook events of one run, rendered before it starts: for each of {@code customers} Stripe customers
 * a {@code customer.created} and a {@code customer.updated} that gives it a new name and email (the old
 * ones in {@code data.previous_attributes}). Each body is a full customer object in an event envelope,
 * pretty-printed with two-space indents as Stripe sends it (about 1.5 kB); the signature is added at send
 * time. {@code request} has a null id and idempotency key, as in a change made in the Dashboard's name by
 * an automation: a key starting with the service's own prefix would make it an echo of our own write.
 *
 * <p>The update's {@code created} is one second after the create's. The service orders a customer's events
 * by {@code created} (whole seconds) and, on a tie with the last event applied, fetches the customer from
 * Stripe instead of trusting the event; a tie would turn this benchmark into one of the fake Stripe.
 *
 * <p>Emails carry the run's tag, so they are unique per run and a customer is found by its new email.
 */
final class WebhookEvents {

    private static final String[] FIRST_NAMES = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret",
            "Dennis", "Frances", "Niklaus", "Radia", "Tony", "Shafi", "Leslie", "Katherine", "Ken", "Hedy", "John",
            "Sophie", "Tim"};
    private static final String[] LAST_NAMES = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth",
            "Hamilton", "Ritchie", "Allen", "Wirth", "Perlman", "Hoare", "Goldwasser", "Lamport", "Johnson", "Thompson",
            "Lamarr", "Backus", "Wilson", "Berners-Lee"};
    private static final StripeEvents.Address ADDRESS = new StripeEvents.Address("1455 Market Street", "Suite 600",
            "San Francisco", "94103", "CA", "US");

    /**
     * One event as it goes out.
     *
     * @param customer which customer of the run (0-based)
     * @param update   the {@code customer.updated}, sent only once the customer's {@code customer.created} was accepted
     */
    record Event(int customer, boolean update, byte[] body) {
    }

    /** A customer as the catalog should show it once both its events are applied. */
    record Expected(String stripeId, String name, String email) {
    }

    private final String tag;
    private final List<Event> events;
    private final List<Expected> customers;
    private final Set<String> createdEmails;

    private WebhookEvents(String tag, List<Event> events, List<Expected> customers, Set<String> createdEmails) {
        this.tag = tag;
        this.events = List.copyOf(events);
        this.customers = List.copyOf(customers);
        this.createdEmails = Set.copyOf(createdEmails);
    }

    /**
     * {@code customers} creates, then their updates in the same order: the update of customer {@code i} comes
     * {@code customers} events after its create.
     */
    static WebhookEvents render(String tag, int customers) {
        Instant created = Instant.now().minus(Duration.ofSeconds(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant updated = created.plusSeconds(1);
        List<Event> creates = new ArrayList<>(customers);
        List<Event> updates = new ArrayList<>(customers);
        List<Expected> expected = new ArrayList<>(customers);
        Set<String> createdEmails = new HashSet<>();
        Set<String> stripeIds = new HashSet<>();
        for (int i = 0; i < customers; i++) {
            String stripeId;
            do {
                stripeId = StripeEvents.newCustomerId();
            } while (!stripeIds.add(stripeId));
            String first = FIRST_NAMES[i % FIRST_NAMES.length];
            String last = LAST_NAMES[(i / FIRST_NAMES.length) % LAST_NAMES.length];
            String married = LAST_NAMES[(i / FIRST_NAMES.length + 7) % LAST_NAMES.length];
            String name = first + " " + last;
            String email = email(first, last, i, tag, "example.com");
            String newName = first + " " + last + "-" + married;
            String newEmail = email(first, married, i, tag, "example.org");
            StripeEvents.Customer before = new StripeEvents.Customer(stripeId, created, name, email,
                    "Growth plan, invoiced monthly; account opened through the partner portal",
                    String.format(Locale.ROOT, "+1 415 555 %04d", i % 10_000), metadata(tag, i), ADDRESS,
                    List.of("en-US"), false);
            StripeEvents.Customer after = before.withName(newName).withEmail(newEmail);
            Map<String, Object> previous = new LinkedHashMap<>();
            previous.put("email", email);
            previous.put("name", name);
            creates.add(new Event(i, false, StripeEvents.event("customer.created", before.json())
                    .withCreated(created).automatic().toBytes()));
            updates.add(new Event(i, true, StripeEvents.event("customer.updated", after.json())
                    .withCreated(updated).withPreviousAttributes(previous).automatic().toBytes()));
            expected.add(new Expected(stripeId, newName, newEmail));
            createdEmails.add(email);
        }
        List<Event> events = new ArrayList<>(creates);
        events.addAll(updates);
        return new WebhookEvents(tag, events, expected, createdEmails);
    }

    String tag() {
        return tag;
    }

    List<Event> events() {
        return events;
    }

    /** How many customers the run's events are about: half the events. */
    int customerCount() {
        return customers.size();
    }

    List<Expected> expected() {
        return customers;
    }

    /** The emails the customers had before their update: none of them should be left once all is applied. */
    Set<String> createdEmails() {
        return createdEmails;
    }

    double meanBodyBytes() {
        return events.stream().mapToInt(event -> event.body().length).average().orElse(0);
    }

    private static String email(String first, String last, int i, String tag, String domain) {
        return (first + "." + last + "." + i + "." + tag + "@" + domain).toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> metadata(String tag, int i) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("crm_account_id", "acct-" + tag + "-" + i);
        metadata.put("plan", "growth");
        metadata.put("signup_source", "partner_portal");
        return metadata;
    }
}
