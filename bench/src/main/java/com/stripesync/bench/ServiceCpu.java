package com.stripesync.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The service's CPU time so far, and roughly where it went, by the names of the JVM's threads: the JIT
 * compilers, the garbage collector, Kafka (the in-process broker and the service's Kafka clients), the rest
 * of the JVM (HTTP handling, the workers, JDBC, threads that ended), and PostgreSQL (all its processes).
 *
 * @param jvm      the service's JVM, every thread
 * @param postgres the embedded PostgreSQL: postmaster, background processes, backends (ended ones included)
 */
record ServiceCpu(Duration jvm, Duration jit, Duration gc, Duration kafka, Duration postgres) {

    static final Predicate<String> JIT = name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    static final Predicate<String> GC = name -> name.startsWith("GC Thread") || name.startsWith("G1 ");
    /**
     * Broker threads ({@code data-plane-kafka-...}, {@code kafka-1-raft-io...}, coordinators) and client threads. A
     * thread's name is cut to 15 characters: the broker's request handlers and network threads show as
     * {@code data-plane-kafk}.
     */
    static final Predicate<String> KAFKA = name -> name.toLowerCase(Locale.ROOT).contains("kafka")
            || name.startsWith("data-plane-")
            || Set.of("quorum-controll", "group-coordinat", "share-coordinat", "ExpirationReape").contains(name)
            || name.startsWith("broker-") || name.startsWith("controller-") || name.startsWith("raft-");

    Duration total() {
        return jvm.plus(postgres);
    }

    /** The JVM's threads that are neither JIT, GC nor Kafka: requests, workers, JDBC, and threads that ended. */
    Duration restOfJvm() {
        return jvm.minus(jit).minus(gc).minus(kafka);
    }

    ServiceCpu minus(ServiceCpu earlier) {
        return new ServiceCpu(jvm.minus(earlier.jvm), jit.minus(earlier.jit), gc.minus(earlier.gc),
                kafka.minus(earlier.kafka), postgres.minus(earlier.postgres));
    }
}
