package com.stripesync.bench;

import com.stripesync.testing.stripe.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of one run, over its steady window only.
 *
 * @param offeredPerSecond  requests sent to {@code POST /api/customers} in the window, per second
 * @param apiErrors         of those, the ones not answered 201
 * @param writesPerSecond   writes (POST, DELETE) the fake admitted with arrival in the window, per second
 * @param rateLimited       requests the fake answered 429 with arrival in the window
 * @param rateLimitedBefore requests the fake answered 429 with arrival before the window (warm-up)
 * @param rateLimitedAfter  requests the fake answered 429 with arrival after the window (end of the load, drain)
 * @param delayP50Millis    median of (arrival at the fake of the admitted create minus the API's 201), over
 *                          the customers created in the window that reached the fake; NaN when none did
 * @param delayP99Millis    the same, 99th percentile (nearest rank)
 * @param notReached        customers created in the window never admitted by the fake by the end of the drain
 * @param created           customers created in the window
 * @param firstRefusals     when the first few 429s (of the whole run) arrived, in seconds since the load began
 */
record RunFigures(double offeredPerSecond, long apiErrors, double writesPerSecond, long rateLimited,
                  long rateLimitedBefore, long rateLimitedAfter, double delayP50Millis, double delayP99Millis,
                  long notReached, long created, List<Double> firstRefusals) {

    private static final int REFUSALS_SHOWN = 10;

    static final String CREATE_PATH = "/v1/customers";
    static final String LOCAL_ID = "metadata[stripe_sync_id]";

    /**
     * The window is {@code [from, from + length)}; requests count by their due time, the fake's by arrival.
     * {@code loadStart} is when the first request was due.
     */
    static RunFigures of(List<LoadGenerator.Sent> sent, List<RecordedRequest> received, List<RecordedRequest> refused,
                         Instant loadStart, Instant from, Duration length) {
        Instant to = from.plus(length);
        double seconds = length.toNanos() / 1e9;
        Set<RecordedRequest> refusedSet = identities(refused);

        List<LoadGenerator.Sent> offered = sent.stream().filter(s -> within(s.dueAt(), from, to)).toList();
        Map<String, Instant> firstAdmittedCreate = firstAdmittedCreates(received, refused);

        List<Double> delays = new ArrayList<>();
        long notReached = 0;
        long created = 0;
        for (LoadGenerator.Sent request : offered) {
            if (!request.created()) {
                continue;
            }
            created++;
            Instant arrival = firstAdmittedCreate.get(request.customerId());
            if (arrival == null) {
                notReached++;
            } else {
                delays.add(Duration.between(request.answeredAt(), arrival).toNanos() / 1e6);
            }
        }
        long admittedWrites = received.stream()
                .filter(RecordedRequest::isWrite)
                .filter(r -> !refusedSet.contains(r))
                .filter(r -> within(r.arrivedAt(), from, to))
                .count();
        long limitedInWindow = refused.stream().filter(r -> within(r.arrivedAt(), from, to)).count();
        long limitedBefore = refused.stream().filter(r -> r.arrivedAt().isBefore(from)).count();
        Collections.sort(delays);
        List<Double> firstRefusals = refused.stream().map(RecordedRequest::arrivedAt).sorted().limit(REFUSALS_SHOWN)
                .map(at -> Duration.between(loadStart, at).toMillis() / 1e3).toList();
        return new RunFigures(offered.size() / seconds, offered.size() - created, admittedWrites / seconds,
                limitedInWindow, limitedBefore, refused.size() - limitedInWindow - limitedBefore,
                Percentiles.of(delays, 50), Percentiles.of(delays, 99), notReached, created, firstRefusals);
    }

    /** For each of our local ids, when its first create the fake did not refuse arrived. */
    static Map<String, Instant> firstAdmittedCreates(List<RecordedRequest> received, List<RecordedRequest> refused) {
        Set<RecordedRequest> refusedSet = identities(refused);
        Map<String, Instant> first = new HashMap<>();
        for (RecordedRequest request : received) {
            String localId = request.params().get(LOCAL_ID);
            if (request.method().equals("POST") && request.path().equals(CREATE_PATH) && localId != null
                    && !refusedSet.contains(request)) {
                first.merge(localId, request.arrivedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return first;
    }

    /** The fake lists the very instances it recorded: compare by identity, as two requests may be equal. */
    private static Set<RecordedRequest> identities(List<RecordedRequest> requests) {
        Set<RecordedRequest> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(requests);
        return set;
    }

    private static boolean within(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && at.isBefore(to);
    }
}
