package com.stripesync.domain.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailTest {

    @Test
    void isTrimmedAndKeepsItsCase() {
        assertThat(new Email("  Ada@Example.IO \t").value()).isEqualTo("Ada@Example.IO");
    }

    @Test
    void lowersLetterByLetterAsPostgresDoes() {
        Email dotted = new Email("\u0130@example.io");

        assertThat(dotted.normalized()).isEqualTo("i@example.io");
        assertThat(dotted.sameAddressAs(new Email("i@example.io"))).isTrue();
    }

    @Test
    void comparesAddressesIgnoringCase() {
        Email upper = new Email("ADA@EXAMPLE.IO");
        Email lower = new Email("ada@example.io");

        assertThat(upper.normalized()).isEqualTo("ada@example.io");
        assertThat(upper.sameAddressAs(lower)).isTrue();
        assertThat(upper).isNotEqualTo(lower);
        assertThat(upper.sameAddressAs(new Email("bob@example.io"))).isFalse();
    }

    @Test
    void isRequired() {
        assertThatThrownBy(() -> new Email(null))
                .isInstanceOfSatisfying(InvalidCustomerException.class, e -> assertThat(e.field()).isEqualTo("email"));
        assertThatThrownBy(() -> new Email("   ")).isInstanceOf(InvalidCustomerException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void moreThan512CharactersAreRefusedForTheirLength() {
        assertThatThrownBy(() -> new Email(ofLength(513)))
                .isInstanceOf(InvalidCustomerException.class)
                .hasMessageContaining("at most 512");
    }

    @Test
    void exactly512CharactersPassTheLengthLimitAndMeetTheSyntax() {
        // No address of 512 characters is valid (64 + 1 + 253 at most): it gets past the length check only.
        assertThatThrownBy(() -> new Email(ofLength(512)))
                .isInstanceOf(InvalidCustomerException.class)
                .hasMessageContaining("not a valid address");
    }

    @Test
    void trimmingHappensBeforeTheLengthIsCounted() {
        String longest = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "."
                + "e".repeat(61);

        assertThat(new Email("  " + longest + "  ").value()).hasSize(318);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "@example.io", "ada@", "ada@example", "ada@@example.io", "a da@example.io",
            "ada@exa mple.io", "ada@-example.io", "ada@example.io\u0007"})
    void malformedAddressesAreRefused(String text) {
        assertThatThrownBy(() -> new Email(text)).isInstanceOf(InvalidCustomerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.io", "ada.lovelace+crm@mail.example.co.uk", "zoë@exämple.de"})
    void wellFormedAddressesAreAccepted(String text) {
        assertThat(new Email(text).value()).isEqualTo(text);
    }

    @Test
    void localPartIsAtMost64Characters() {
        assertThat(new Email("a".repeat(64) + "@example.io").value()).startsWith("a".repeat(64));
        assertThatThrownBy(() -> new Email("a".repeat(65) + "@example.io")).isInstanceOf(InvalidCustomerException.class);
    }

    /** An address-shaped string of exactly {@code length} characters. */
    private static String ofLength(int length) {
        String suffix = "@example.io";
        return "a".repeat(length - suffix.length()) + suffix;
    }
}
