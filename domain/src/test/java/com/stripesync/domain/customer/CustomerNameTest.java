package com.stripesync.domain.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CustomerNameTest {

    @Test
    void isTrimmed() {
        assertThat(new CustomerName("  Ada Lovelace\n").value()).isEqualTo("Ada Lovelace");
    }

    @Test
    void isRequiredAndNotBlank() {
        assertThatThrownBy(() -> new CustomerName(null))
                .isInstanceOfSatisfying(InvalidCustomerException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> new CustomerName(" \t ")).isInstanceOf(InvalidCustomerException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void holdsUpTo256Characters() {
        assertThat(new CustomerName("n".repeat(256)).value()).hasSize(256);
        assertThatThrownBy(() -> new CustomerName("n".repeat(257)))
                .isInstanceOf(InvalidCustomerException.class)
                .hasMessageContaining("at most 256");
    }

    @Test
    void countsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00";

        assertThat(new CustomerName(emoji.repeat(256)).value()).hasSize(512);
        assertThatThrownBy(() -> new CustomerName(emoji.repeat(257))).isInstanceOf(InvalidCustomerException.class);
    }

    @Test
    void lengthIsCountedAfterTrimming() {
        assertThat(new CustomerName("   " + "n".repeat(256) + "   ").value()).hasSize(256);
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> new CustomerName("Ada\u0000Lovelace")).isInstanceOf(InvalidCustomerException.class)
                .hasMessageContaining("control");
        assertThatThrownBy(() -> new CustomerName("Ada\nLovelace")).isInstanceOf(InvalidCustomerException.class);
    }
}
