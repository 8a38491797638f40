package com.stripesync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The machine the benchmark runs on, as its figures are printed with. */
final class Machine {

    private Machine() {
    }

    /** The one-minute load average, or NaN where there is none (not Linux). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** {@code 2 cores, Linux amd64, Java 25...; load average 0.42}. */
    static String describe() {
        return String.format(Locale.ROOT, "%d cores, %s %s, Java %s; load average %.2f",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.version(), loadAverage());
    }

    static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    static String lastModified(Path file) {
        try {
            return DateTimeFormatter.ISO_INSTANT.format(Files.getLastModifiedTime(file).toInstant()
                    .truncatedTo(ChronoUnit.SECONDS));
        } catch (IOException e) {
            return "?";
        }
    }
}
