package com.stripesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Watches the catalog through {@code GET /api/customers} (pages of up to 200, listing order {@code createdAt}
 * then {@code id}, which never changes for a customer) until a run's customers all show their updated name
 * and email, then counts them once more from the first page.
 *
 * <p>Watching must cost the service little, as its CPU is being measured: a poll resumes from the first page
 * that still held a customer of the run without its update, reads on only while pages are done, and stops at
 * the first page that is not. So a poll reads a page or two, and customers already seen done are not read
 * again. A customer whose transaction committed after later-listed ones may land on a page already passed;
 * when the end of the listing is reached with customers still missing, the next poll now and then starts
 * again from the first page (of the run: see {@link #lastPageCursor}).
 */
final class CatalogWatcher {

    private static final int PAGE = 200;
    /** The end of a run is seen this late at most: 0.5% of a 4-second run, for a page or two read per poll. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    /** Polls that reached the end with customers missing before one starts over from the first page. */
    private static final int POLLS_BEFORE_RESTART = 100;
    private static final String STRIPE = "stripe";

    /**
     * The watch's end.
     *
     * @param doneNanos {@link System#nanoTime()} when the last poll found everything, or -1 if time ran out
     * @param seen      customers of the run seen with their update by then
     * @param pages     pages read
     */
    record Watch(long doneNanos, int seen, long pages) {

        boolean complete() {
            return doneNanos >= 0;
        }
    }

    /**
     * The run's customers in the whole catalog, read after the watch.
     *
     * @param updated       customers of the run shown exactly once with the new name and email, linked to their Stripe id
     * @param lost          customers of the run not shown with their new email at all
     * @param duplicates    customers shown more than once (extra copies), by new or old email
     * @param notUpdated    customers of the run still shown with their old email
     * @param wrong         customers shown with the new email but another name, or not linked to their Stripe id
     * @param catalogSize   all live customers listed (the warm-up's included)
     */
    record Count(int updated, int lost, int duplicates, int notUpdated, int wrong, int catalogSize) {

        boolean allThere(int expected) {
            return updated == expected && lost == 0 && duplicates == 0 && notUpdated == 0 && wrong == 0;
        }
    }

    private final HttpClient http;
    private final URI customers;
    private final ObjectMapper json = new ObjectMapper();

    CatalogWatcher(HttpClient http, URI customers) {
        this.http = http;
        this.customers = customers;
    }

    /**
     * The cursor of the listing's last page as it is now ({@code null}: the first page). Customers created later
     * are listed from there on, so a run's watch can start there instead of reading the warm-up's customers
     * (150 pages after a warm-up of 60,000 events) while its time runs.
     */
    @Nullable String lastPageCursor() throws IOException, InterruptedException {
        @Nullable String cursor = null;
        while (true) {
            JsonNode page = page(cursor);
            if (!page.path("nextCursor").isTextual()) {
                return cursor;
            }
            cursor = page.path("nextCursor").asText();
        }
    }

    /**
     * Polls every 20 ms until every customer of {@code run} shows its update, or {@code timeout} passes, reading
     * the listing from {@code from} on (see {@link #lastPageCursor}; {@code null}: from the first page).
     */
    Watch awaitUpdated(WebhookEvents run, Duration timeout, BooleanSupplier serviceAlive, @Nullable String from)
            throws IOException, InterruptedException {
        Map<String, WebhookEvents.Expected> byNewEmail = byNewEmail(run);
        Set<String> done = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        @Nullable String resumeAt = from;
        int pollsAtEnd = 0;
        long pages = 0;
        while (true) {
            @Nullable String cursor = resumeAt;
            boolean reachedEnd = false;
            while (true) {
                JsonNode page = page(cursor);
                pages++;
                boolean pageDone = true;
                for (JsonNode item : page.path("items")) {
                    String email = item.path("email").asText("").toLowerCase(Locale.ROOT);
                    WebhookEvents.Expected expected = byNewEmail.get(email);
                    if (expected != null && expected.name().equals(item.path("name").asText())) {
                        done.add(item.path("id").asText());
                    } else if (expected != null || run.createdEmails().contains(email)) {
                        pageDone = false;
                    }
                }
                String next = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
                if (!pageDone) {
                    break;
                }
                if (next == null) {
                    // The last page: later customers are added to it, so it is read again next time.
                    reachedEnd = true;
                    break;
                }
                cursor = next;
                resumeAt = next;
            }
            if (done.size() >= run.customerCount()) {
                return new Watch(System.nanoTime(), done.size(), pages);
            }
            if (reachedEnd && ++pollsAtEnd % POLLS_BEFORE_RESTART == 0) {
                resumeAt = from;
            }
            if (System.nanoTime() >= deadline || !serviceAlive.getAsBoolean()) {
                return new Watch(-1, done.size(), pages);
            }
            Thread.sleep(POLL_INTERVAL);
        }
    }

    /** Reads the whole catalog and counts the run's customers in it. */
    Count count(WebhookEvents run) throws IOException, InterruptedException {
        Map<String, WebhookEvents.Expected> byNewEmail = byNewEmail(run);
        Map<String, Integer> newEmailSeen = new HashMap<>();
        Map<String, Integer> oldEmailSeen = new HashMap<>();
        Set<String> wrongEmails = new HashSet<>();
        int catalogSize = 0;
        @Nullable String cursor = null;
        do {
            JsonNode page = page(cursor);
            for (JsonNode item : page.path("items")) {
                catalogSize++;
                String email = item.path("email").asText("").toLowerCase(Locale.ROOT);
                WebhookEvents.Expected expected = byNewEmail.get(email);
                if (expected != null) {
                    newEmailSeen.merge(email, 1, Integer::sum);
                    String linkedTo = item.path("links").path(STRIPE).path("externalId").asText("");
                    if (!expected.name().equals(item.path("name").asText()) || !expected.stripeId().equals(linkedTo)) {
                        wrongEmails.add(email);
                    }
                } else if (run.createdEmails().contains(email)) {
                    oldEmailSeen.merge(email, 1, Integer::sum);
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        int duplicates = extraCopies(newEmailSeen) + extraCopies(oldEmailSeen);
        int notUpdated = oldEmailSeen.size();
        int lost = run.customerCount() - newEmailSeen.size();
        int updated = (int) newEmailSeen.entrySet().stream()
                .filter(seen -> seen.getValue() == 1 && !wrongEmails.contains(seen.getKey())).count();
        return new Count(updated, lost, duplicates, notUpdated, wrongEmails.size(), catalogSize);
    }

    private JsonNode page(@Nullable String cursor) throws IOException, InterruptedException {
        String query = "?limit=" + PAGE
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(customers + query))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + request.uri().getPath() + " answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    private static Map<String, WebhookEvents.Expected> byNewEmail(WebhookEvents run) {
        Map<String, WebhookEvents.Expected> byEmail = new HashMap<>();
        for (WebhookEvents.Expected customer : run.expected()) {
            byEmail.put(customer.email().toLowerCase(Locale.ROOT), customer);
        }
        return byEmail;
    }

    private static int extraCopies(Map<String, Integer> seen) {
        return seen.values().stream().mapToInt(copies -> copies - 1).sum();
    }
}
