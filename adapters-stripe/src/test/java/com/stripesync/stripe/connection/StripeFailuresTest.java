package com.stripesync.stripe.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.exception.ApiException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeResponse;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalChangeRejected;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The failure cases the fake server cannot easily produce: answer headers and rarer statuses. */
class StripeFailuresTest {

    private static final SystemName STRIPE = new SystemName("stripe");
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final StripeFailures failures = new StripeFailures(STRIPE, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void retryAfterInSecondsIsThatDuration() {
        assertThat(failures.retryAfter(" 12 ")).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
        assertThat(failures.retryAfter("Fri, 27 Nov 2026 10:00:30 GMT")).isEqualTo(Duration.ofSeconds(30));
        assertThat(failures.retryAfter("Fri, 27 Nov 2026 09:59:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @Test
    void unreadableRetryAfterIsIgnored() {
        assertThat(failures.retryAfter("soon")).isNull();
    }

    @Test
    void conflictIsTransient() {
        RuntimeException translated = failures.translate(apiError(409, "lock_timeout", "Conflict", Map.of()));

        assertThat(translated).isInstanceOf(ExternalSystemUnavailable.class);
    }

    @Test
    void serverErrorCarriesItsRetryAfter() {
        RuntimeException translated = failures.translate(apiError(503, null, "Down", Map.of("Retry-After", "5")));

        assertThat(translated).isInstanceOfSatisfying(ExternalSystemUnavailable.class,
                unavailable -> assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(5)));
    }

    @Test
    void clientErrorStripeAsksToRetryIsTransient() {
        StripeException e = invalidRequest(400, "Try again", null, Map.of("Stripe-Should-Retry", "true"));

        assertThat(failures.translate(e)).isInstanceOf(ExternalSystemUnavailable.class);
    }

    @Test
    void clientErrorIsRejectedWithTheParameterNamed() {
        StripeException e = invalidRequest(400, "This value must be less than 257 characters.", "name", Map.of());

        assertThat(failures.translate(e)).isInstanceOfSatisfying(ExternalChangeRejected.class, rejected ->
                assertThat(rejected.reason()).isEqualTo("name: This value must be less than 257 characters."));
    }

    @Test
    void reusedIdempotencyKeyIsRejected() {
        StripeException e = withError(new IdempotencyException("Keys for idempotent requests ...", "req_1", null, 400),
                400, "Keys for idempotent requests ...", null, Map.of());

        assertThat(failures.translate(e)).isInstanceOfSatisfying(ExternalChangeRejected.class, rejected ->
                assertThat(rejected.reason()).contains("idempotency key"));
    }

    @Test
    void overlongReasonIsShortened() {
        StripeException e = invalidRequest(400, "x".repeat(1_000), null, Map.of());

        assertThat(failures.translate(e)).isInstanceOfSatisfying(ExternalChangeRejected.class, rejected ->
                assertThat(rejected.reason()).hasSize(300).endsWith("..."));
    }

    @Test
    void onlyA404ResourceMissingMeansMissing() {
        assertThat(StripeFailures.isResourceMissing(
                new InvalidRequestException("No such customer", "id", "req_1", "resource_missing", 404, null))).isTrue();
        assertThat(StripeFailures.isResourceMissing(
                new InvalidRequestException("Unrecognized request URL", null, "req_1", null, 404, null))).isFalse();
        assertThat(StripeFailures.isResourceMissing(
                new InvalidRequestException("No such customer", "starting_after", "req_1", "resource_missing", 400,
                        null))).isFalse();
    }

    private static StripeException apiError(int status, @Nullable String code, String message,
                                            Map<String, String> headers) {
        return withError(new ApiException(message, "req_1", code, status, null), status, message, null, headers);
    }

    private static StripeException invalidRequest(int status, String message, @Nullable String param,
                                                  Map<String, String> headers) {
        return withError(new InvalidRequestException(message, param, "req_1", null, status, null), status, message,
                param, headers);
    }

    private static StripeException withError(StripeException e, int status, String message, @Nullable String param,
                                             Map<String, String> headers) {
        StripeError error = new StripeError();
        error.setMessage(message);
        error.setParam(param);
        error.setLastResponse(new StripeResponse(status, HttpHeaders.of(
                headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        entry -> List.of(entry.getValue())))), "{}"));
        e.setStripeError(error);
        return e;
    }
}
