package com.stripesync.web.customer;

import com.stripesync.application.customer.DeleteCustomer;
import com.stripesync.application.customer.DeleteCustomerCommand;
import com.stripesync.application.customer.GetCustomer;
import com.stripesync.application.customer.ListCustomers;
import com.stripesync.application.customer.RegisterCustomer;
import com.stripesync.application.customer.RegisterCustomerCommand;
import com.stripesync.application.customer.UpdateCustomer;
import com.stripesync.application.customer.UpdateCustomerCommand;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.PageCursor;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.LinkedCustomer;
import com.stripesync.web.json.JsonBodyReader;
import com.stripesync.web.json.JsonResponseWriter;
import com.stripesync.web.problem.InvalidRequest;
import com.stripesync.web.routing.ApiRoute;
import com.stripesync.web.routing.RouteTable;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The customer resource: {@code /api/customers} and {@code /api/customers/{id}}. */
public final class CustomerResource implements HttpService {

    static final String COLLECTION = "/api/customers";
    static final String ITEM = COLLECTION + "/{id}";

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private final RegisterCustomer registerCustomer;
    private final GetCustomer getCustomer;
    private final ListCustomers listCustomers;
    private final UpdateCustomer updateCustomer;
    private final DeleteCustomer deleteCustomer;
    private final JsonBodyReader bodies;
    private final JsonResponseWriter responses;

    public CustomerResource(RegisterCustomer registerCustomer, GetCustomer getCustomer, ListCustomers listCustomers,
                            UpdateCustomer updateCustomer, DeleteCustomer deleteCustomer,
                            JsonBodyReader bodies, JsonResponseWriter responses) {
        this.registerCustomer = Objects.requireNonNull(registerCustomer, "registerCustomer");
        this.getCustomer = Objects.requireNonNull(getCustomer, "getCustomer");
        this.listCustomers = Objects.requireNonNull(listCustomers, "listCustomers");
        this.updateCustomer = Objects.requireNonNull(updateCustomer, "updateCustomer");
        this.deleteCustomer = Objects.requireNonNull(deleteCustomer, "deleteCustomer");
        this.bodies = Objects.requireNonNull(bodies, "bodies");
        this.responses = Objects.requireNonNull(responses, "responses");
    }

    /** The operations of this resource, as the OpenAPI document lists them. */
    public List<ApiRoute> routes() {
        return List.of(
                new ApiRoute(Method.POST, COLLECTION, this::register),
                new ApiRoute(Method.GET, COLLECTION, this::list),
                new ApiRoute(Method.GET, ITEM, this::get),
                new ApiRoute(Method.PUT, ITEM, this::update),
                new ApiRoute(Method.DELETE, ITEM, this::delete));
    }

    @Override
    public void routing(HttpRules rules) {
        RouteTable.register(rules, routes());
    }

    private void register(ServerRequest request, ServerResponse response) {
        CustomerDetailsRequest body = bodies.read(request, CustomerDetailsRequest.class);
        LinkedCustomer registered = registerCustomer.register(
                new RegisterCustomerCommand(nameOf(body), emailOf(body)));
        response.header(HeaderNames.LOCATION, COLLECTION + "/" + registered.customer().id());
        send(response, Status.CREATED_201, registered);
    }

    private void list(ServerRequest request, ServerResponse response) {
        Parameters query = request.query();
        int limit = single(query, "limit").map(CustomerResource::limit).orElse(PageRequest.DEFAULT_LIMIT);
        Optional<PageCursor> cursor = single(query, "cursor").map(PageCursor::fromToken);
        PageRequest page = new PageRequest(limit, cursor.orElse(null));
        Optional<Email> email = single(query, "email").map(Email::new);
        if (email.isPresent() && cursor.isPresent()) {
            throw InvalidRequest.field("cursor", "cannot be combined with email");
        }
        CustomerPage found = email
                .map(address -> new CustomerPage(listCustomers.findByEmail(address).stream().toList(), null))
                .orElseGet(() -> listCustomers.list(page));
        responses.send(response, Status.OK_200, CustomerPageResponse.from(found));
    }

    private void get(ServerRequest request, ServerResponse response) {
        send(response, Status.OK_200, getCustomer.get(idOf(request)));
    }

    private void update(ServerRequest request, ServerResponse response) {
        CustomerId id = idOf(request);
        Version expected = EntityTags.ifMatch(request.headers()).orElse(null);
        CustomerDetailsRequest body = bodies.read(request, CustomerDetailsRequest.class);
        LinkedCustomer updated = updateCustomer.update(
                new UpdateCustomerCommand(id, nameOf(body), emailOf(body), expected));
        send(response, Status.OK_200, updated);
    }

    private void delete(ServerRequest request, ServerResponse response) {
        CustomerId id = idOf(request);
        Version expected = EntityTags.ifMatch(request.headers()).orElse(null);
        deleteCustomer.delete(new DeleteCustomerCommand(id, expected));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void send(ServerResponse response, Status status, LinkedCustomer customer) {
        response.header(HeaderNames.ETAG, EntityTags.of(customer.customer().version()));
        responses.send(response, status, CustomerResponse.from(customer));
    }

    private static CustomerId idOf(ServerRequest request) {
        return CustomerId.parse(request.path().pathParameters().get("id"));
    }

    @SuppressWarnings("DataFlowIssue") // a missing member reaches the domain value, which names it
    private static CustomerName nameOf(CustomerDetailsRequest body) {
        return new CustomerName(body.name());
    }

    @SuppressWarnings("DataFlowIssue")
    private static Email emailOf(CustomerDetailsRequest body) {
        return new Email(body.email());
    }

    private static Optional<String> single(Parameters query, String name) {
        if (!query.contains(name)) {
            return Optional.empty();
        }
        List<String> values = query.all(name);
        if (values.size() != 1) {
            throw InvalidRequest.field(name, "must be given at most once");
        }
        return Optional.of(values.getFirst());
    }

    private static int limit(String text) {
        if (!DIGITS.matcher(text).matches()) {
            throw InvalidRequest.field("limit", "must be a whole number between 1 and " + PageRequest.MAX_LIMIT);
        }
        return Integer.parseInt(text);
    }
}
