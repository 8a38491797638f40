package com.stripesync.web.customer;

import static com.stripesync.web.CustomerJson.details;
import static com.stripesync.web.CustomerJson.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.link.ExternalId;
import com.stripesync.domain.link.ExternalLink;
import com.stripesync.domain.link.SyncStatus;
import com.stripesync.domain.link.SystemName;
import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.web.ApiClient;
import com.stripesync.web.Reply;
import com.stripesync.web.TestWiring;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@ServerTest
class CustomerRoutesTest {

    private static final InMemoryCustomerCatalog CATALOG = new InMemoryCustomerCatalog();

    private final ApiClient api;

    CustomerRoutesTest(WebServer server) {
        this.api = new ApiClient(server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        WebApi.configureServer(server, WebSettings.defaults());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WebApi.routing(routing, TestWiring.useCases(CATALOG), List.of());
    }

    @Test
    void registeringAnswers201WithLocationETagAndTheCustomer() {
        String email = uniqueEmail();

        Reply reply = api.post("/api/customers", details("  Ada Lovelace ", email));

        assertThat(reply.status()).isEqualTo(201);
        JsonNode customer = reply.json();
        String id = customer.path("id").asText();
        assertThat(reply.header("Location")).contains("/api/customers/" + id);
        assertThat(reply.header("ETag")).contains("\"1\"");
        assertThat(reply.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(customer.path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(customer.path("email").asText()).isEqualTo(email);
        assertThat(customer.path("version").asLong()).isEqualTo(1);
        assertThat(customer.path("createdAt").asText()).endsWith("Z").isEqualTo(customer.path("updatedAt").asText());
        assertThat(Instant.parse(customer.path("createdAt").asText())).isNotNull();
        assertThat(customer.path("links").isObject()).isTrue();
        assertThat(customer.path("links").isEmpty()).isTrue();
        assertThat(CATALOG.find(new CustomerId(UUID.fromString(id)))).isPresent();
    }

    @Test
    void aRegisteredCustomerReadsBackWithItsETag() {
        Reply registered = register();

        Reply reply = api.get(registered.header("Location").orElseThrow());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("ETag")).contains("\"1\"");
        assertThat(reply.json()).isEqualTo(registered.json());
    }

    @Test
    void readingAnUnknownCustomerAnswers404() {
        String id = UUID.randomUUID().toString();

        Reply reply = api.get("/api/customers/" + id);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:stripe-sync:problem:customer-not-found");
        assertThat(reply.json().path("detail").asText()).contains(id);
    }

    @Test
    void registeringAnEmailInUseIgnoringCaseAnswers409AndChangesNothing() {
        String email = uniqueEmail();
        register(email);
        Map<CustomerId, Customer> before = CATALOG.contents();

        Reply reply = api.post("/api/customers", details("Someone Else", email.toUpperCase()));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:stripe-sync:problem:email-already-in-use");
        assertThat(reply.problemFields()).containsExactly("email");
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @Test
    void updatingReplacesTheDetailsAndAnswersTheNextVersion() {
        String location = register().header("Location").orElseThrow();
        String email = uniqueEmail();

        Reply reply = api.put(location, details("Ada King", email));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("ETag")).contains("\"2\"");
        assertThat(reply.json().path("name").asText()).isEqualTo("Ada King");
        assertThat(reply.json().path("email").asText()).isEqualTo(email);
        assertThat(reply.json().path("version").asLong()).isEqualTo(2);
        assertThat(api.get(location).json()).isEqualTo(reply.json());
    }

    @Test
    void updatingWithTheCurrentVersionInIfMatchSucceeds() {
        String location = register().header("Location").orElseThrow();

        Reply reply = api.put(location, details("Ada King", uniqueEmail()), "If-Match", "\"1\"");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("ETag")).contains("\"2\"");
    }

    @Test
    void updatingWithAWildcardIfMatchSucceeds() {
        String location = register().header("Location").orElseThrow();

        Reply reply = api.put(location, details("Ada King", uniqueEmail()), "If-Match", "*");

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void updatingWithAStaleVersionAnswers412AndChangesNothing() {
        String location = register().header("Location").orElseThrow();
        api.put(location, details("Ada King", uniqueEmail()));
        Map<CustomerId, Customer> before = CATALOG.contents();

        Reply reply = api.put(location, details("Ada Byron", uniqueEmail()), "If-Match", "\"1\"");

        assertThat(reply.status()).isEqualTo(412);
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:stripe-sync:problem:version-mismatch");
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @Test
    void updatingWithTheSameDetailsKeepsTheVersion() {
        String email = uniqueEmail();
        String location = register(email).header("Location").orElseThrow();

        Reply reply = api.put(location, details("Ada Lovelace", email));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("ETag")).contains("\"1\"");
    }

    @Test
    void updatingNeverCreatesACustomer() {
        Map<CustomerId, Customer> before = CATALOG.contents();

        Reply reply = api.put("/api/customers/" + UUID.randomUUID(), details("Nobody", uniqueEmail()));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @Test
    void updatingToAnotherCustomersEmailAnswers409AndChangesNothing() {
        String taken = uniqueEmail();
        register(taken);
        String location = register().header("Location").orElseThrow();
        Map<CustomerId, Customer> before = CATALOG.contents();

        Reply reply = api.put(location, details("Ada Lovelace", taken.toUpperCase()));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(CATALOG.contents()).isEqualTo(before);
    }

    @Test
    void deletingAnswers204AndTheCustomerIsGoneForEveryRoute() {
        String location = register().header("Location").orElseThrow();

        Reply reply = api.delete(location);

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(api.get(location).status()).isEqualTo(404);
        assertThat(api.put(location, details("Ada Lovelace", uniqueEmail())).status()).isEqualTo(404);
        assertThat(api.delete(location).status()).isEqualTo(404);
    }

    @Test
    void deletingWithTheCurrentVersionInIfMatchSucceeds() {
        String location = register().header("Location").orElseThrow();

        assertThat(api.delete(location, "If-Match", "\"1\"").status()).isEqualTo(204);
    }

    @Test
    void deletingWithAStaleVersionAnswers412AndKeepsTheCustomer() {
        String location = register().header("Location").orElseThrow();
        api.put(location, details("Ada King", uniqueEmail()));
        Map<CustomerId, Customer> before = CATALOG.contents();

        Reply reply = api.delete(location, "If-Match", "\"1\"");

        assertThat(reply.status()).isEqualTo(412);
        assertThat(CATALOG.contents()).isEqualTo(before);
        assertThat(api.get(location).status()).isEqualTo(200);
    }

    @Test
    void theEmailOfADeletedCustomerCanBeRegisteredAgain() {
        String email = uniqueEmail();
        api.delete(register(email).header("Location").orElseThrow());

        assertThat(api.post("/api/customers", details("Ada Again", email)).status()).isEqualTo(201);
    }

    @Test
    void listingPagesThroughEveryLiveCustomerInCreationOrderThenId() {
        for (int i = 0; i < 5; i++) {
            register();
        }
        api.delete(register().header("Location").orElseThrow());
        List<String> expected = CATALOG.contents().values().stream()
                .filter(customer -> !customer.isDeleted())
                .sorted(InMemoryCustomerCatalog.LISTING_ORDER)
                .map(customer -> customer.id().toString())
                .toList();

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = api.get("/api/customers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().path("items").size()).isLessThanOrEqualTo(2);
            page.json().path("items").forEach(item -> listed.add(item.path("id").asText()));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
        } while (cursor != null);

        assertThat(listed).isEqualTo(expected);
    }

    @Test
    void listingWithoutLimitAnswersPagesOfFifty() {
        for (int i = CATALOG.list(PageRequest.first(PageRequest.MAX_LIMIT)).items().size(); i <= 50; i++) {
            CATALOG.add(Customer.register(new CustomerName("Filler " + i), new Email(uniqueEmail()), Instant.now()));
        }

        Reply reply = api.get("/api/customers");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("items").size()).isEqualTo(PageRequest.DEFAULT_LIMIT);
        assertThat(reply.json().path("nextCursor").isTextual()).isTrue();
    }

    @Test
    void findingByEmailAnswersAPageWithThatOneCustomerIgnoringCase() {
        String email = uniqueEmail();
        String id = register(email).json().path("id").asText();

        Reply reply = api.get("/api/customers?email=" + URLEncoder.encode(email.toUpperCase(), StandardCharsets.UTF_8));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("items").findValuesAsText("id")).containsExactly(id);
        assertThat(reply.json().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void findingByAnEmailNobodyHasAnswersAnEmptyPage() {
        Reply reply = api.get("/api/customers?email=nobody-" + UUID.randomUUID() + "@example.com&limit=10");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("items").isEmpty()).isTrue();
        assertThat(reply.json().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void aCustomersLinksAreShownKeyedBySystemName() {
        Reply registered = register();
        CustomerId id = new CustomerId(UUID.fromString(registered.json().path("id").asText()));
        Instant synced = Instant.parse("2026-11-27T10:15:30.123456Z");
        CATALOG.link(new ExternalLink(id, new SystemName("stripe"), new ExternalId("cus_123"), SyncStatus.SYNCED,
                synced, null, Version.FIRST, null));
        CATALOG.link(new ExternalLink(id, new SystemName("salesforce"), null, SyncStatus.FAILED, null,
                "rejected: duplicate", Version.FIRST, null));

        JsonNode links = api.get(registered.header("Location").orElseThrow()).json().path("links");

        assertThat(links.path("stripe").path("externalId").asText()).isEqualTo("cus_123");
        assertThat(links.path("stripe").path("status").asText()).isEqualTo("SYNCED");
        assertThat(links.path("stripe").path("syncedAt").asText()).isEqualTo("2026-11-27T10:15:30.123456Z");
        assertThat(links.path("stripe").path("lastError").isNull()).isTrue();
        assertThat(links.path("salesforce").path("externalId").isNull()).isTrue();
        assertThat(links.path("salesforce").path("status").asText()).isEqualTo("FAILED");
        assertThat(links.path("salesforce").path("syncedAt").isNull()).isTrue();
        assertThat(links.path("salesforce").path("lastError").asText()).isEqualTo("rejected: duplicate");
    }

    @Test
    void aCustomerImportedWithoutEmailShowsANullEmail() {
        Customer imported = Customer.register(new CustomerName("Imported"), null, Instant.now());
        CATALOG.add(imported);

        Reply reply = api.get("/api/customers/" + imported.id());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("email").isNull()).isTrue();
    }

    @Test
    void responsesAreJsonWhateverTheClientAccepts() {
        String location = register().header("Location").orElseThrow();

        Reply reply = api.get(location, "Accept", "text/html");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    private Reply register() {
        return register(uniqueEmail());
    }

    private Reply register(String email) {
        Reply reply = api.post("/api/customers", details("Ada Lovelace", email));
        assertThat(reply.status()).isEqualTo(201);
        return reply;
    }
}
