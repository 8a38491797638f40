package com.stripesync.bench;

import java.util.Arrays;

/**
 * The jar's entry point: {@code java -jar stripe-sync-bench.jar [outbound|inbound] [options]}. Without a
 * benchmark's name it runs the outbound one, as the jar always did.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        String first = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (first) {
            case "inbound" -> InboundBenchmark.main(rest);
            case "outbound" -> OutboundBenchmark.main(rest);
            default -> OutboundBenchmark.main(args);
        }
    }
}
