package com.stripesync.web.problem;

import static com.stripesync.web.problem.ProblemType.CUSTOMER_NOT_FOUND;
import static com.stripesync.web.problem.ProblemType.EMAIL_ALREADY_IN_USE;
import static com.stripesync.web.problem.ProblemType.INVALID_REQUEST;
import static com.stripesync.web.problem.ProblemType.INVALID_WEBHOOK;
import static com.stripesync.web.problem.ProblemType.VERSION_MISMATCH;
import static com.stripesync.web.problem.ProblemType.WEBHOOKS_NOT_CONFIGURED;

import com.stripesync.application.inbound.WebhooksNotConfigured;

import com.stripesync.domain.customer.CatalogUnavailable;
import com.stripesync.domain.customer.CustomerNotFound;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.domain.customer.InvalidCustomerException;
import com.stripesync.domain.customer.StaleVersion;
import com.stripesync.domain.inbound.EventHandOffFailed;
import com.stripesync.domain.inbound.WebhookRejected;
import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Objects;

/**
 * The one place where failures become HTTP answers. Registered for {@link Throwable}, so nothing thrown
 * by a route escapes as Helidon's plain-text error; unexpected failures are logged and answered 500
 * without their detail.
 */
public final class ProblemErrorHandler implements ErrorHandler<Throwable> {

    private static final System.Logger LOGGER = System.getLogger(ProblemErrorHandler.class.getName());

    private final ProblemWriter writer;

    public ProblemErrorHandler(ProblemWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    public void register(HttpRouting.Builder routing) {
        routing.error(Throwable.class, this);
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response, Throwable failure) {
        writer.write(request, response, switch (failure) {
            case InvalidCustomerException e -> Problem.of(INVALID_REQUEST, e.getMessage(),
                    List.of(new FieldError(e.field(), e.getMessage())));
            case InvalidRequest e -> Problem.of(INVALID_REQUEST, e.detail(), e.errors());
            case CustomerNotFound e -> Problem.of(CUSTOMER_NOT_FOUND, "No customer with id " + e.id());
            case EmailAlreadyInUse e -> Problem.of(EMAIL_ALREADY_IN_USE, "Another customer already uses this email address",
                    List.of(new FieldError("email", "is already used by another customer")));
            case StaleVersion e -> Problem.of(VERSION_MISMATCH, "The customer is no longer at version "
                    + e.expected().value() + "; read it again and decide on the change anew");
            case CatalogUnavailable e -> {
                response.header(HeaderNames.RETRY_AFTER, "5");
                yield Problem.ofStatus(Status.SERVICE_UNAVAILABLE_503,
                        "The catalog cannot be reached right now; nothing was changed. Retry shortly");
            }
            case WebhookRejected e -> {
                // Its message is safe by contract: it quotes neither the signature nor the body.
                LOGGER.log(System.Logger.Level.INFO, "Refused a webhook at " + request.path().rawPath() + ": "
                        + e.getMessage());
                yield Problem.of(INVALID_WEBHOOK, Objects.requireNonNullElse(e.getMessage(),
                        "The webhook is not a genuine, current event"));
            }
            case WebhooksNotConfigured e -> {
                LOGGER.log(System.Logger.Level.WARNING, e.getMessage());
                yield Problem.of(WEBHOOKS_NOT_CONFIGURED, Objects.requireNonNullElse(e.getMessage(),
                        "No webhook signing secret is configured: webhooks are refused until one is"));
            }
            case EventHandOffFailed e -> {
                LOGGER.log(System.Logger.Level.WARNING, "A webhook could not be queued at "
                        + request.path().rawPath() + "; the sender will retry it", e);
                response.header(HeaderNames.RETRY_AFTER, "5");
                yield Problem.ofStatus(Status.SERVICE_UNAVAILABLE_503,
                        "The event could not be stored durably right now and was not accepted. Send it again shortly");
            }
            case UnsupportedMediaType e -> Problem.ofStatus(Status.UNSUPPORTED_MEDIA_TYPE_415, e.getMessage());
            case MethodNotAllowed e -> {
                response.header(HeaderNames.ALLOW, e.allowHeader());
                yield Problem.ofStatus(Status.METHOD_NOT_ALLOWED_405, e.getMessage());
            }
            case BadRequestException e -> Problem.ofStatus(Status.BAD_REQUEST_400, ProblemDirectHandler.MALFORMED_REQUEST);
            case HttpException e -> httpProblem(request, e);
            default -> unexpected(request, failure);
        });
    }

    private static Problem httpProblem(ServerRequest request, HttpException failure) {
        Status status = failure.status();
        if (status.code() == Status.NOT_FOUND_404.code()) {
            return Problem.ofStatus(status, "Nothing is served at this path");
        }
        if (status.code() >= Status.INTERNAL_SERVER_ERROR_500.code()) {
            return unexpected(request, failure);
        }
        return Problem.ofStatus(status, "The request was refused: " + status.reasonPhrase());
    }

    private static Problem unexpected(ServerRequest request, Throwable failure) {
        // The path names at most a customer id; bodies are never logged, they carry personal data.
        LOGGER.log(System.Logger.Level.ERROR, "Unexpected failure answering " + request.prologue().method().text()
                + " " + request.path().rawPath(), failure);
        return Problem.ofStatus(Status.INTERNAL_SERVER_ERROR_500, "The server failed unexpectedly; the failure was logged");
    }
}
