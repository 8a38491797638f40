package com.stripesync.kafka.testkit;

import com.stripesync.application.sync.SyncChange;
import com.stripesync.application.sync.SyncOutcome;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.link.ExternalId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A {@link SyncChange} that records every call and answers from a script ({@code Applied} by default). */
public final class RecordingSync implements SyncChange {

    /** One call: the change, and when it started ({@link System#nanoTime()}). */
    public record Call(CustomerChange change, long startedNanos) {
        public long id() {
            return change.id().value();
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Function<CustomerChange, SyncOutcome> script;

    public RecordingSync(Function<CustomerChange, SyncOutcome> script) {
        this.script = script;
    }

    public static RecordingSync applyingEverything() {
        return new RecordingSync(RecordingSync::applied);
    }

    public static SyncOutcome applied(CustomerChange change) {
        return new SyncOutcome.Applied("updated", new ExternalId("ext_" + change.customerId()));
    }

    @Override
    public SyncOutcome sync(CustomerChange change) {
        calls.add(new Call(change, System.nanoTime()));
        return script.apply(change);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Long> ids() {
        return calls.stream().map(Call::id).toList();
    }

    public List<Long> idsOf(CustomerId customer) {
        return calls.stream().filter(call -> call.change().customerId().equals(customer)).map(Call::id).toList();
    }

    public int count() {
        return calls.size();
    }
}
