package com.stripesync.web.problem;

import static com.stripesync.web.CustomerJson.details;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.application.customer.DeleteCustomer;
import com.stripesync.application.customer.DeleteCustomerCommand;
import com.stripesync.application.customer.GetCustomer;
import com.stripesync.application.customer.ListCustomers;
import com.stripesync.application.customer.RegisterCustomer;
import com.stripesync.application.customer.RegisterCustomerCommand;
import com.stripesync.application.customer.UpdateCustomer;
import com.stripesync.application.customer.UpdateCustomerCommand;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.testing.logging.LogCapture;
import com.stripesync.web.ApiClient;
import com.stripesync.web.CustomerUseCases;
import com.stripesync.web.Reply;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebSettings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** A failure nobody foresaw is a 500 problem that reveals nothing of it. */
@ServerTest
class UnexpectedFailureTest {

    private static final String SECRET = "jdbc:postgresql://db-internal:5432 password=hunter2";

    private final ApiClient api;

    UnexpectedFailureTest(WebServer server) {
        this.api = new ApiClient(server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        WebApi.configureServer(server, WebSettings.defaults());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        BrokenCatalogUseCases broken = new BrokenCatalogUseCases();
        WebApi.routing(routing, new CustomerUseCases(broken, broken, broken, broken, broken), List.of());
    }

    @Test
    void anUnexpectedFailureWhileListingIsA500ProblemWithoutItsDetail() {
        assertHidden(api.get("/api/customers"));
    }

    @Test
    void anUnexpectedFailureWhileRegisteringIsA500ProblemWithoutItsDetail() {
        assertHidden(api.post("/api/customers", details("Ada", "ada@example.com")));
    }

    @Test
    void anUnexpectedFailureIsLoggedWithItsCauseButWithoutTheRequestBody() {
        List<LogRecord> records;
        try (LogCapture log = LogCapture.of(ProblemErrorHandler.class)) {
            api.post("/api/customers", details("Ada Secretname", "private.person@example.com"));
            records = log.records();
        }

        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getThrown()).hasMessage(SECRET);
            assertThat(record.getMessage()).contains("POST /api/customers")
                    .doesNotContain("Secretname", "private.person");
        });
    }

    @Test
    void anUnexpectedFailureWhileReadingUpdatingOrDeletingIsA500ProblemWithoutItsDetail() {
        String path = "/api/customers/" + UUID.randomUUID();

        assertHidden(api.get(path));
        assertHidden(api.put(path, details("Ada", "ada@example.com")));
        assertHidden(api.delete(path));
    }

    private static void assertHidden(Reply reply) {
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().path("type").asText()).isEqualTo("about:blank");
        assertThat(reply.body()).doesNotContain("hunter2", "db-internal", "IllegalStateException", "at com.");
    }

    private static final class BrokenCatalogUseCases
            implements RegisterCustomer, GetCustomer, ListCustomers, UpdateCustomer, DeleteCustomer {

        @Override
        public LinkedCustomer register(RegisterCustomerCommand command) {
            throw new IllegalStateException(SECRET);
        }

        @Override
        public LinkedCustomer get(CustomerId id) {
            throw new IllegalStateException(SECRET);
        }

        @Override
        public CustomerPage list(PageRequest request) {
            throw new IllegalStateException(SECRET);
        }

        @Override
        public Optional<LinkedCustomer> findByEmail(Email email) {
            throw new IllegalStateException(SECRET);
        }

        @Override
        public LinkedCustomer update(UpdateCustomerCommand command) {
            throw new IllegalStateException(SECRET);
        }

        @Override
        public void delete(DeleteCustomerCommand command) {
            throw new IllegalStateException(SECRET);
        }
    }
}
