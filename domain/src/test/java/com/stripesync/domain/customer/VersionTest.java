package com.stripesync.domain.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void startsAtOne() {
        assertThat(Version.FIRST.value()).isEqualTo(1);
        assertThatThrownBy(() -> new Version(0))
                .isInstanceOfSatisfying(InvalidCustomerException.class, e -> assertThat(e.field()).isEqualTo("version"));
        assertThatThrownBy(() -> new Version(-5)).isInstanceOf(InvalidCustomerException.class);
    }

    @Test
    void countsUpAndDown() {
        assertThat(Version.FIRST.next()).isEqualTo(new Version(2));
        assertThat(new Version(7).previous()).isEqualTo(new Version(6));
    }

    @Test
    void firstVersionHasNoPrevious() {
        assertThatThrownBy(Version.FIRST::previous).isInstanceOf(InvalidCustomerException.class);
    }
}
