package com.stripesync.web.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.testing.catalog.InMemoryCustomerCatalog;
import com.stripesync.testing.openapi.OpenApiContract;
import com.stripesync.web.TestWiring;
import com.stripesync.web.WebApi;
import com.stripesync.web.WebhookEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Helidon SE cannot list its routes, so the route table is what is held against the document. */
class RouteTableMatchesDocumentTest {

    private final List<String> served = WebApi.routeTable(TestWiring.useCases(new InMemoryCustomerCatalog()),
                    List.of(new WebhookEndpoint(WebhookEndpoint.STRIPE_PATH, delivery -> {
                        throw new AssertionError("not called");
                    })))
            .stream()
            .map(ApiRoute::operation)
            .toList();
    private final OpenApiContract document = OpenApiContract.load();

    @Test
    void everyDocumentedOperationIsServed() {
        assertThat(served).containsAll(document.operations());
    }

    @Test
    void everyServedOperationIsDocumented() {
        assertThat(document.operations()).containsAll(served);
    }

    @Test
    void noOperationIsServedTwice() {
        assertThat(served).doesNotHaveDuplicates();
    }
}
