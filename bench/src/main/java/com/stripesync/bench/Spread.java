package com.stripesync.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The median and the range of one figure over runs; runs without a value (NaN) are left out. */
record Spread(double median, double min, double max) {

    static <T> Spread of(List<T> runs, ToDoubleFunction<T> figure) {
        double[] values = runs.stream().mapToDouble(figure).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (values.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN);
        }
        int middle = values.length / 2;
        double median = values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        return new Spread(median, values[0], values[values.length - 1]);
    }

    /** {@code median [min-max]}, each with {@code format}, the range left out when it would read {@code [x-x]}; {@code -} when no run had a value. */
    String format(String format) {
        if (Double.isNaN(median)) {
            return "-";
        }
        String low = String.format(Locale.ROOT, format, min);
        String high = String.format(Locale.ROOT, format, max);
        String middle = String.format(Locale.ROOT, format, median);
        return low.equals(high) ? middle : middle + " [" + low + "-" + high + "]";
    }
}
