package com.stripesync.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * CPU time of processes, from Linux's {@code /proc/<pid>/stat}: user and system time of each process, plus
 * the time of its children that exited and that it waited for ({@code cutime}, {@code cstime}), so that
 * short-lived children (such as PostgreSQL backends of closed connections) are not lost. A process that is
 * gone counts nothing. Elsewhere than on Linux every figure is zero.
 */
final class ProcessCpu {

    /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on every usual Linux. */
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    /** In {@code stat}, fields after the command's closing parenthesis: 0 is field 3 (state), 11 is field 14. */
    private static final int UTIME = 11;
    private static final int STIME = 12;
    private static final int CSTIME = 14;

    private ProcessCpu() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** The CPU time so far of these processes and of their children already waited for. */
    static Duration of(Collection<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            ticks += ticks(Path.of("/proc", Long.toString(pid), "stat"), CSTIME);
        }
        return duration(ticks);
    }

    /**
     * The CPU time so far of the live threads of {@code pid} whose name ({@code comm}, at most 15 characters)
     * {@code nameTest} accepts. Threads that ended are not counted.
     */
    static Duration ofThreads(long pid, Predicate<String> nameTest) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                } catch (IOException ended) {
                    continue;
                }
                if (nameTest.test(name)) {
                    ticks += ticks(task.resolve("stat"), STIME);
                }
            }
        } catch (IOException | RuntimeException gone) {
            return Duration.ZERO;
        }
        return duration(ticks);
    }

    /** utime and the fields after it up to {@code lastField}: stime, or cstime (children waited for included). */
    private static long ticks(Path stat, int lastField) {
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            // The command may contain blanks and parentheses: the fields start after its last ')'.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
            long sum = 0;
            for (int i = UTIME; i <= lastField; i++) {
                sum += Long.parseLong(fields[i]);
            }
            return sum;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static Duration duration(long ticks) {
        return Duration.ofNanos(ticks * 1_000_000_000L / TICKS_PER_SECOND);
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try (InputStream out = getconf.getInputStream()) {
                long ticks = Long.parseLong(new String(out.readAllBytes(), StandardCharsets.US_ASCII).strip());
                return ticks > 0 ? ticks : 100;
            }
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }
}
