package com.stripesync.domain.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCursorTest {

    private static final Instant AT = Instant.parse("2026-03-04T05:06:07.123456Z");

    @Test
    void tokenRoundTrips() {
        PageCursor cursor = new PageCursor(AT, CustomerId.generate());

        assertThat(PageCursor.fromToken(cursor.token())).isEqualTo(cursor);
    }

    @Test
    void tokenIsUrlSafe() {
        String token = new PageCursor(AT, CustomerId.generate()).token();

        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void pointsAfterTheGivenCustomer() {
        Customer customer = Customer.register(new CustomerName("Ada"), null, AT);

        assertThat(PageCursor.after(customer)).isEqualTo(new PageCursor(AT, customer.id()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "bm8tYmFy", "MjAyNi0wMy0wNHxub3QtYS11dWlk"})
    void refusesTokensItDidNotHandOut(String token) {
        assertThatThrownBy(() -> PageCursor.fromToken(token))
                .isInstanceOfSatisfying(InvalidCustomerException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }

    @Test
    void refusesATokenWithABadTimestamp() {
        String token = encode("yesterday|" + CustomerId.generate());

        assertThatThrownBy(() -> PageCursor.fromToken(token)).isInstanceOf(InvalidCustomerException.class);
    }

    @Test
    void refusesATokenWithABadId() {
        String token = encode(AT + "|not-a-uuid");

        assertThatThrownBy(() -> PageCursor.fromToken(token)).isInstanceOf(InvalidCustomerException.class);
    }

    private static String encode(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
