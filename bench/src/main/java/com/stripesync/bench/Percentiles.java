package com.stripesync.bench;

import java.util.List;

/** Percentiles of one run's samples. */
final class Percentiles {

    private Percentiles() {
    }

    /** Nearest rank: the smallest value with at least {@code p}% of the values at or below it; NaN when there are none. */
    static double of(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
