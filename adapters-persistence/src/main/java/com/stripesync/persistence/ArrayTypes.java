package com.stripesync.persistence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DataType;

/**
 * The array types of the statements that bind a set as one array ({@code = ANY(?)}, {@code unnest(?)}), each
 * made once: jOOQ derives a new one, parsing its name, for each array whose type it is not given.
 */
public final class ArrayTypes {

    private static final Map<DataType<?>, DataType<?>> TYPES = new ConcurrentHashMap<>();

    private ArrayTypes() {
    }

    /** The type of arrays of {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T> DataType<T[]> of(DataType<T> type) {
        return (DataType<T[]>) TYPES.computeIfAbsent(type, DataType::getArrayDataType);
    }
}
