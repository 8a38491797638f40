package com.stripesync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    /**
     * How fast one core of the machine is right now: MB/s of SHA-256 over 1.5 kB buffers, on this thread, for about
     * 0.4 s after 0.1 s of warm-up. A shared virtual machine's speed drifts (the same build measured here gave 3,900
     * and 3,000 events/s twenty minutes apart): runs compare only at a similar index.
     */
    static double speedIndex() {
        byte[] buffer = new byte[1_536];
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            return Double.NaN;
        }
        hashFor(sha256, buffer, 100_000_000L);
        long start = System.nanoTime();
        long bytes = hashFor(sha256, buffer, 400_000_000L);
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }

    private static long hashFor(MessageDigest digest, byte[] buffer, long nanos) {
        long deadline = System.nanoTime() + nanos;
        long bytes = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 100; i++) {
                buffer[0] = digest.digest(buffer)[0];
            }
            bytes += 100L * buffer.length;
        }
        return bytes;
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
