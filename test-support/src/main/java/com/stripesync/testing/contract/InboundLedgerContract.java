package com.stripesync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.domain.inbound.EventId;
import com.stripesync.domain.inbound.InboundLedger;
import com.stripesync.domain.link.SystemName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link InboundLedger} adapter shares: an event counts once per system. Extend it once
 * per adapter; what only a transactional ledger can do (an entry rolled back with its unit of work) is tested
 * beside that adapter.
 */
public abstract class InboundLedgerContract {

    protected static final SystemName STRIPE = new SystemName("stripe");
    protected static final SystemName CRM = new SystemName("salesforce");

    private static final EventId EVT_1 = new EventId("evt_1");
    private static final EventId EVT_2 = new EventId("evt_2");

    /** An empty ledger; called at the start of each test. */
    protected abstract InboundLedger ledger();

    @Test
    void theFirstRecordOfAnEventCounts() {
        InboundLedger ledger = ledger();

        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isTrue();
    }

    @Test
    void aRedeliveredEventDoesNotCountAgain() {
        InboundLedger ledger = ledger();
        ledger.recordOnce(STRIPE, EVT_1);

        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isFalse();
        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isFalse();
    }

    @Test
    void anEventIsContainedOnceRecordedAndAskingRecordsNothing() {
        InboundLedger ledger = ledger();

        assertThat(ledger.contains(STRIPE, EVT_1)).isFalse();
        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isTrue();
        assertThat(ledger.contains(STRIPE, EVT_1)).isTrue();
        assertThat(ledger.contains(STRIPE, EVT_2)).isFalse();
        assertThat(ledger.recordOnce(STRIPE, EVT_2)).isTrue();
    }

    @Test
    void eachEventCountsOnItsOwn() {
        InboundLedger ledger = ledger();
        ledger.recordOnce(STRIPE, EVT_1);

        assertThat(ledger.recordOnce(STRIPE, EVT_2)).isTrue();
    }

    @Test
    void theSameEventIdCountsOncePerSystem() {
        InboundLedger ledger = ledger();
        ledger.recordOnce(STRIPE, EVT_1);

        assertThat(ledger.recordOnce(CRM, EVT_1)).isTrue();
        assertThat(ledger.recordOnce(CRM, EVT_1)).isFalse();
        assertThat(ledger.recordOnce(STRIPE, EVT_1)).isFalse();
    }

    @Test
    void anEventIdOfTheLongestAllowedLengthIsRecorded() {
        InboundLedger ledger = ledger();
        EventId longest = new EventId("evt_" + "x".repeat(EventId.MAX_LENGTH - 4));

        assertThat(ledger.recordOnce(STRIPE, longest)).isTrue();
        assertThat(ledger.recordOnce(STRIPE, longest)).isFalse();
    }
}
