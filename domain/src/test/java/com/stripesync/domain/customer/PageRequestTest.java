package com.stripesync.domain.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void limitIsBetweenOneAndTheMaximum() {
        assertThat(PageRequest.first(1).limit()).isEqualTo(1);
        assertThat(PageRequest.first(PageRequest.MAX_LIMIT).limit()).isEqualTo(200);
        assertThatThrownBy(() -> PageRequest.first(0))
                .isInstanceOfSatisfying(InvalidCustomerException.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> PageRequest.first(PageRequest.MAX_LIMIT + 1)).isInstanceOf(InvalidCustomerException.class);
    }

    @Test
    void firstPageHasNoCursor() {
        assertThat(PageRequest.first(10).cursor()).isEmpty();
    }
}
