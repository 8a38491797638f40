package com.stripesync.domain.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomerIdTest {

    @Test
    void parsesTheCanonicalForm() {
        UUID uuid = UUID.fromString("0b9f6a47-3c6e-4b1e-9c53-7a1de0c1f2aa");

        assertThat(CustomerId.parse("0b9f6a47-3c6e-4b1e-9c53-7a1de0c1f2aa")).isEqualTo(new CustomerId(uuid));
        assertThat(new CustomerId(uuid)).hasToString("0b9f6a47-3c6e-4b1e-9c53-7a1de0c1f2aa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "42", "0b9f6a47-3c6e-4b1e-9c53-7a1de0c1f2a", "0b9f6a47-3c6e-4b1e-9c53-7a1de0c1f2aaa",
            "1-1-1-1-1", "0b9f6a47-3c6e-4b1e-9c53-7a1de0c1f2ag", "0b9f6a473c6e4b1e9c537a1de0c1f2aa----"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> CustomerId.parse(text))
                .isInstanceOfSatisfying(InvalidCustomerException.class, e -> assertThat(e.field()).isEqualTo("id"));
    }

    @Test
    void refusalAbbreviatesAHugeInput() {
        String huge = "x".repeat(10_000);

        assertThatThrownBy(() -> CustomerId.parse(huge))
                .isInstanceOf(InvalidCustomerException.class)
                .hasMessage("Not a UUID: " + "x".repeat(64) + "...");
    }

    @Test
    void generatedIdsDiffer() {
        assertThat(CustomerId.generate()).isNotEqualTo(CustomerId.generate());
    }
}
