package com.stripesync.kafka.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripesync.domain.change.ChangeId;
import com.stripesync.domain.change.ChangeKind;
import com.stripesync.domain.change.ChangeOrigin;
import com.stripesync.domain.change.CustomerChange;
import com.stripesync.domain.customer.CustomerId;
import com.stripesync.domain.customer.CustomerName;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.SystemName;
import com.stripesync.domain.sync.CustomerDetails;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeJsonTest {

    private static final CustomerId CUSTOMER = new CustomerId(UUID.fromString("0b7e6f6c-3b8e-4f0a-9a53-6f1d2c5e9a10"));
    private static final String VALID = """
            {"v":1,"changeId":42,"customerId":"0b7e6f6c-3b8e-4f0a-9a53-6f1d2c5e9a10","version":3,"kind":"UPDATED",
             "name":"Ada Lovelace","email":"ada@example.com","origin":"stripe","occurredAt":"2026-11-27T08:21:23.123456789Z"}
            """;

    @Test
    void roundTripsEveryFieldOfAChangeFromAnExternalSystem() {
        CustomerChange change = new CustomerChange(new ChangeId(Long.MAX_VALUE), CUSTOMER, new Version(7), ChangeKind.UPDATED,
                new CustomerDetails(CUSTOMER, new CustomerName("Zoë \"Quoted\" Ünïcödé ✓"), new Email("Zoe.Q@Example.com")),
                ChangeOrigin.from(new SystemName("stripe")), Instant.parse("2026-11-27T08:21:23.123456789Z"));

        assertThat(ChangeJson.decode(ChangeJson.encode(change))).isEqualTo(change);
    }

    @Test
    void roundTripsALocalDeletionWithoutEmail() {
        CustomerChange change = new CustomerChange(new ChangeId(1), CUSTOMER, Version.FIRST, ChangeKind.DELETED,
                new CustomerDetails(CUSTOMER, new CustomerName("Ada"), null), ChangeOrigin.LOCAL, Instant.EPOCH);

        CustomerChange decoded = ChangeJson.decode(ChangeJson.encode(change));

        assertThat(decoded).isEqualTo(change);
        assertThat(decoded.details().email()).isNull();
        assertThat(decoded.origin().externalSystem()).isEmpty();
    }

    @Test
    void writesFormatVersionOneAndEveryFieldByNameWithNullsForAbsentEmailAndLocalOrigin() throws Exception {
        CustomerChange change = new CustomerChange(new ChangeId(5), CUSTOMER, new Version(2), ChangeKind.CREATED,
                new CustomerDetails(CUSTOMER, new CustomerName("Ada"), null), ChangeOrigin.LOCAL,
                Instant.parse("2026-11-27T08:00:00Z"));

        JsonNode json = new ObjectMapper().readTree(ChangeJson.encode(change));

        assertThat(json.get("v").asInt()).isEqualTo(1);
        assertThat(json.get("changeId").asLong()).isEqualTo(5);
        assertThat(json.get("customerId").asText()).isEqualTo(CUSTOMER.toString());
        assertThat(json.get("version").asLong()).isEqualTo(2);
        assertThat(json.get("kind").asText()).isEqualTo("CREATED");
        assertThat(json.get("name").asText()).isEqualTo("Ada");
        assertThat(json.get("email").isNull()).isTrue();
        assertThat(json.get("origin").isNull()).isTrue();
        assertThat(json.get("occurredAt").asText()).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(json.size()).isEqualTo(9);
    }

    @Test
    void readsTheDocumentedFormatAndIgnoresFieldsItDoesNotKnow() {
        String withExtra = VALID.replace("\"v\":1,", "\"v\":1,\"addedLater\":{\"x\":[1,2]},");

        CustomerChange change = ChangeJson.decode(withExtra.getBytes(StandardCharsets.UTF_8));

        assertThat(change.id()).isEqualTo(new ChangeId(42));
        assertThat(change.customerId()).isEqualTo(CUSTOMER);
        assertThat(change.version()).isEqualTo(new Version(3));
        assertThat(change.kind()).isEqualTo(ChangeKind.UPDATED);
        assertThat(change.details().name()).isEqualTo(new CustomerName("Ada Lovelace"));
        assertThat(change.details().email()).isEqualTo(new Email("ada@example.com"));
        assertThat(change.origin()).isEqualTo(ChangeOrigin.from(new SystemName("stripe")));
        assertThat(change.occurredAt()).isEqualTo(Instant.parse("2026-11-27T08:21:23.123456789Z"));
    }

    @Test
    void readsAMissingEmailOrOriginAsNone() {
        String without = VALID.replace("\"email\":\"ada@example.com\",", "").replace("\"origin\":\"stripe\",", "");

        CustomerChange change = ChangeJson.decode(without.getBytes(StandardCharsets.UTF_8));

        assertThat(change.details().email()).isNull();
        assertThat(change.origin()).isEqualTo(ChangeOrigin.LOCAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"v\":1,|\"v\":2,",
            "\"v\":1,|",
            "\"v\":1,|\"v\":\"1\",",
            "\"changeId\":42|\"changeId\":0",
            "\"changeId\":42|\"changeId\":4.2",
            "\"changeId\":42|\"changeId\":\"42\"",
            "\"customerId\":\"0b7e6f6c-3b8e-4f0a-9a53-6f1d2c5e9a10\",|",
            "\"customerId\":\"0b7e6f6c-3b8e-4f0a-9a53-6f1d2c5e9a10\"|\"customerId\":\"cus_123\"",
            "\"version\":3|\"version\":0",
            "\"version\":3|\"version\":null",
            "\"kind\":\"UPDATED\"|\"kind\":\"MERGED\"",
            "\"name\":\"Ada Lovelace\"|\"name\":\"  \"",
            "\"name\":\"Ada Lovelace\"|\"name\":7",
            "\"email\":\"ada@example.com\"|\"email\":\"ada-at-example\"",
            "\"origin\":\"stripe\"|\"origin\":\"Stripe Inc\"",
            "\"occurredAt\":\"2026-11-27T08:21:23.123456789Z\"|\"occurredAt\":\"yesterday\"",
            "\"occurredAt\":\"2026-11-27T08:21:23.123456789Z\"|\"occurredAt\":\"2026-11-27T08:21:23.123456789Z\",\"occurredAt\":\"2026-11-27T08:21:23Z\"",
    })
    void refusesAValueThatIsNotAValidChangeOfThisFormat(String replacement) {
        String[] parts = replacement.split("\\|", -1);
        String broken = VALID.replace(parts[0], parts[1]);
        assertThat(broken).isNotEqualTo(VALID);

        assertThatThrownBy(() -> ChangeJson.decode(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableChange.class)
                .hasMessageNotContaining("ada-at-example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]", "\"text\"", "null", "{\"v\":1} trailing", "{\"v\":1"})
    void refusesWhatIsNotAJsonObject(String value) {
        assertThatThrownBy(() -> ChangeJson.decode(value.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableChange.class);
    }

    @Test
    void refusesARecordWithoutValue() {
        assertThatThrownBy(() -> ChangeJson.decode(null)).isInstanceOf(UndecodableChange.class).hasMessageContaining("no value");
    }
}
