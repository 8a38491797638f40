package com.stripesync.stripe.connection;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import com.stripe.net.StripeResponse;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.ExternalChangeRejected;
import com.stripesync.domain.sync.ExternalSystemUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a failed Stripe call means to the core.
 *
 * <ul>
 *   <li>Transient, {@link ExternalSystemUnavailable}: no answer (connect or read timeout, dropped
 *       connection), 429 (with its {@code Retry-After}, if any), 409 (a concurrent request with the same
 *       key), any 5xx, an unreadable answer, and 4xx answers Stripe marks {@code Stripe-Should-Retry: true}.
 *       Also 401 and 403: a revoked or under-privileged key is an outage of the integration, fixed by an
 *       operator, not something wrong with the change; retrying later loses nothing. And a request our own
 *       rate limits could not give a turn in time (never sent).</li>
 *   <li>Permanent, {@link ExternalChangeRejected}: any other 4xx, with Stripe's message (which is meant
 *       for developers but names only the offending parameter) with anything shaped like a key removed.</li>
 * </ul>
 *
 * <p>"Not found" is the caller's to decide ({@link #isResourceMissing}), since it means different things
 * to different calls.
 */
public final class StripeFailures {

    private static final Pattern KEY_LIKE = Pattern.compile("\\b(?:sk|rk|pk)_[A-Za-z0-9_*]+|\\bwhsec_[A-Za-z0-9*]+");
    private static final int MAX_REASON_LENGTH = 300;

    private final SystemName system;
    private final Clock clock;

    public StripeFailures(SystemName system, Clock clock) {
        this.system = system;
        this.clock = clock;
    }

    /** True when Stripe answered 404 {@code resource_missing}: the object named in the path does not exist. */
    public static boolean isResourceMissing(StripeException e) {
        return Integer.valueOf(404).equals(e.getStatusCode()) && "resource_missing".equals(e.getCode());
    }

    /** The domain exception for a failed call. */
    public RuntimeException translate(StripeException e) {
        if (e instanceof NoPermitInTime notSent) {
            return new ExternalSystemUnavailable(system, notSent.reason());
        }
        if (e instanceof ApiConnectionException) {
            return new ExternalSystemUnavailable(system, "no answer from Stripe (" + rootCause(e) + ")", null, e);
        }
        if (e instanceof AuthenticationException) {
            // Stripe's message echoes part of the key: keep neither it nor the exception.
            return new ExternalSystemUnavailable(system, "Stripe refused the API key (401): check the configured key");
        }
        if (e instanceof PermissionException) {
            return new ExternalSystemUnavailable(system,
                    "the API key may not do this (403): grant the restricted key write access to customers");
        }
        Integer status = e.getStatusCode();
        if (status == null || status < 400) {
            return new ExternalSystemUnavailable(system, "unreadable answer from Stripe", null, e);
        }
        Optional<StripeResponse> response = response(e);
        Duration retryAfter = response.flatMap(r -> r.headers().firstValue("Retry-After")).map(this::retryAfter)
                .orElse(null);
        if (status == 429) {
            return new ExternalSystemUnavailable(system, "rate limited by Stripe (429)", retryAfter, e);
        }
        if (status >= 500) {
            // Stripe keeps a 500 under the idempotency key and replays it to every retry with that key.
            return ExternalSystemUnavailable.failedWhileExecuting(system, "Stripe answered " + status, retryAfter, e);
        }
        if (status == 409) {
            return new ExternalSystemUnavailable(system, "Stripe answered 409 (a concurrent request with this key)",
                    retryAfter, e);
        }
        if (e instanceof IdempotencyException) {
            return new ExternalChangeRejected(system, "the idempotency key was already used for another change");
        }
        boolean shouldRetry = response.flatMap(r -> r.headers().firstValue("Stripe-Should-Retry"))
                .map("true"::equalsIgnoreCase).orElse(false);
        if (shouldRetry) {
            return new ExternalSystemUnavailable(system, "Stripe answered " + status + " and asks to retry", retryAfter,
                    e);
        }
        return new ExternalChangeRejected(system, reason(e, status));
    }

    /** {@code Retry-After} is either whole seconds or an HTTP date; null when it is neither. */
    @Nullable Duration retryAfter(String value) {
        String text = value.strip();
        try {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(text));
            }
            Duration until = Duration.between(clock.instant(),
                    ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    private static String reason(StripeException e, int status) {
        StripeError error = e.getStripeError();
        String message = error == null ? null : error.getMessage();
        String param = error == null ? null : error.getParam();
        String text = message == null || message.isBlank()
                ? "Stripe refused the request (" + status + (e.getCode() == null ? "" : " " + e.getCode()) + ")"
                : (param == null || message.contains(param) ? "" : param + ": ") + message;
        String safe = KEY_LIKE.matcher(text).replaceAll("[redacted]");
        return safe.length() <= MAX_REASON_LENGTH ? safe : safe.substring(0, MAX_REASON_LENGTH - 3) + "...";
    }

    private static Optional<StripeResponse> response(StripeException e) {
        return Optional.ofNullable(e.getStripeError()).map(StripeError::getLastResponse);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "connection failed" : root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
