package com.stripesync.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

class ArrayTypesTest {

    @Test
    void eachArrayTypeIsMadeOnceAndIsTheArrayOfItsElementType() {
        DataType<String[]> texts = ArrayTypes.of(SQLDataType.VARCHAR);

        assertThat(ArrayTypes.of(SQLDataType.VARCHAR)).isSameAs(texts);
        assertThat(texts.getType()).isEqualTo(String[].class);
        assertThat(texts.getArrayComponentDataType()).isEqualTo(SQLDataType.VARCHAR);
        assertThat(ArrayTypes.of(SQLDataType.UUID).getType()).isEqualTo(UUID[].class);
    }
}
