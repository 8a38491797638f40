package com.stripesync.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka (KRaft, broker and controller in one node) running inside this JVM on 127.0.0.1,
 * with its data under {@link EmbeddedKafkaSettings#dataDirectory()}: {@code logs/} holds the topic logs
 * and the KRaft metadata log, {@code server.properties} the configuration of the last start.
 *
 * <p>Restarts: storage is formatted only when {@code logs/meta.properties} is absent, so a restart on
 * the same directory keeps topics and committed offsets. A restart after the JVM was killed with
 * {@code kill -9} needs no clean-up: both Kafka's {@code .lock} and this class's
 * {@code embedded-kafka.lock} are OS file locks, dropped when the process dies, while a directory still
 * used by a live broker is refused. Such a restart is ready in seconds because the controller lets the
 * new incarnation register once the dead one's {@code broker.session.timeout.ms} has passed (2 s here,
 * 9 s by default).
 *
 * <p>Fatal faults: like a standalone broker, Kafka halts the JVM on a fault it cannot survive (a broken
 * metadata log, every log directory failed).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class.getName());
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final DataDirectoryLock lock;
    private final String bootstrapServers;
    private final Path dataDirectory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KafkaRaftServer server, DataDirectoryLock lock, String bootstrapServers, Path dataDirectory) {
        this.server = server;
        this.lock = lock;
        this.bootstrapServers = bootstrapServers;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts the broker and returns once it answers a {@code DescribeCluster} request. Formats the
     * storage on first use of the data directory.
     *
     * @throws IllegalStateException when the broker cannot start or does not become ready in time,
     *                               for example because another broker is using the data directory
     */
    public static EmbeddedKafkaBroker start(EmbeddedKafkaSettings settings) {
        KafkaLogLevels.quietUnlessConfigured();
        Path logDirectory = settings.dataDirectory().resolve("logs");
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory " + logDirectory, e);
        }
        return startHoldingLock(settings, logDirectory, DataDirectoryLock.acquire(settings.dataDirectory()));
    }

    /** {@code host:port} for the {@code bootstrap.servers} of clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Stops the broker cleanly (a controlled shutdown, then the controller), waiting at most 30 s. Safe to
     * call more than once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (stop(server)) {
            lock.close();
        }
    }

    /** Releases the lock when it fails, unless a broker that would not stop is still using the directory. */
    private static EmbeddedKafkaBroker startHoldingLock(EmbeddedKafkaSettings settings, Path logDirectory, DataDirectoryLock lock) {
        for (int attempt = 1; ; attempt++) {
            int brokerPort = settings.port() == 0 ? freePort() : settings.port();
            String bootstrapServers = HOST + ":" + brokerPort;
            KafkaRaftServer server;
            try {
                // The controller port may change between starts: the lone voter leads without asking anyone.
                Map<String, String> config = brokerConfig(settings, logDirectory, brokerPort, freePort());
                Path configFile = settings.dataDirectory().resolve("server.properties");
                writeConfig(configFile, config);
                if (!Files.exists(logDirectory.resolve("meta.properties"))) {
                    format(configFile);
                }
                server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
            try {
                server.startup();
                awaitReady(bootstrapServers);
                LOG.info(() -> "Embedded Kafka ready on " + bootstrapServers + " with data in " + settings.dataDirectory());
                return new EmbeddedKafkaBroker(server, lock, bootstrapServers, settings.dataDirectory());
            } catch (RuntimeException e) {
                if (!stop(server)) {
                    throw new IllegalStateException("the embedded Kafka on " + settings.dataDirectory()
                            + " failed to start and then did not stop: " + rootMessage(e), e);
                }
                // Free ports are picked before Kafka binds them; another process may win that race.
                if (settings.port() == 0 && causedByBindFailure(e) && attempt < PORT_ATTEMPTS) {
                    LOG.warning(() -> "A free port was taken before the embedded Kafka could bind it; retrying with other ports");
                    continue;
                }
                lock.close();
                throw new IllegalStateException("the embedded Kafka on " + settings.dataDirectory() + " did not start: " + rootMessage(e), e);
            }
        }
    }

    static Map<String, String> brokerConfig(EmbeddedKafkaSettings settings, Path logDirectory, int brokerPort, int controllerPort) {
        Map<String, String> config = new TreeMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        config.put("log.dirs", logDirectory.toString());
        config.put("num.partitions", Integer.toString(settings.defaultPartitions()));
        config.put("server.max.startup.time.ms", Long.toString(STARTUP_TIMEOUT.toMillis()));

        // One node: every replicated internal topic has one replica, and few partitions load faster.
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("share.coordinator.state.topic.num.partitions", "1");

        // After a kill -9 the controller waits this long before it lets the restarted broker register.
        config.put("broker.session.timeout.ms", "2000");
        config.put("broker.heartbeat.interval.ms", "500");
        // A single consumer group member should not wait 3 s for others that will never come.
        config.put("group.initial.rebalance.delay.ms", "0");
        // The log cleaner (compacted __consumer_offsets) would take 128 MiB of heap by default.
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        config.put("num.recovery.threads.per.data.dir", "1");

        if (settings.fastTestTuning()) {
            config.put("num.network.threads", "2");
            config.put("num.io.threads", "2");
            config.put("background.threads", "2");
            // Let tests choose short consumer session timeouts, so a dead consumer is noticed quickly.
            config.put("group.min.session.timeout.ms", "1000");
            config.put("group.consumer.min.session.timeout.ms", "1000");
        } else {
            // One node and one replica: the page cache is the only copy, so flush each write before the
            // acknowledgement; an acknowledged outbox record then survives a power loss as well.
            config.put("log.flush.interval.messages", "1");
            // Each flush also syncs a segment's offset and time indexes when they took an entry since the last
            // one, which they do every 4 kB by default: three syncs where one would do. One entry per MiB leaves
            // them clean between most flushes; consumers read on from where they were, so a sparser index costs
            // them a short scan of batch headers at most. Measured at 8 webhook senders, accept only: 5,223 events/s
            // at 0.075 ms of Kafka CPU each, against 4,506 at 0.089 with 4 kB.
            config.put("log.index.interval.bytes", Integer.toString(1024 * 1024));
        }
        return config;
    }

    private static void writeConfig(Path configFile, Map<String, String> config) {
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            properties.store(writer, "Written by EmbeddedKafkaBroker at each start; edits are overwritten");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
    }

    /** Formats a new single-voter KRaft storage; {@code StorageTool.main} would exit the JVM, {@code execute} does not. */
    private static void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] arguments = {"format", "--config", configFile.toString(), "--cluster-id", Uuid.randomUuid().toString(), "--standalone"};
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool$.MODULE$.execute(arguments, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot format the Kafka storage: " + rootMessage(e) + " " + output.toString(StandardCharsets.UTF_8).strip(), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("cannot format the Kafka storage (exit code " + exitCode + "): " + output.toString(StandardCharsets.UTF_8).strip());
        }
        LOG.fine(() -> output.toString(StandardCharsets.UTF_8).strip());
    }

    private static void awaitReady(String bootstrapServers) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        List<String> failures = new ArrayList<>();
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                try {
                    int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get(5, TimeUnit.SECONDS).size();
                    if (nodes > 0) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    failures.add(rootMessage(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the embedded Kafka", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the embedded Kafka on " + bootstrapServers + " did not answer DescribeCluster in "
                            + READY_TIMEOUT.toSeconds() + " s; last errors: " + failures.subList(Math.max(0, failures.size() - 3), failures.size()));
                }
                sleepBriefly();
            }
        }
    }

    /** Shuts the server down; false when it did not stop within the timeout (its threads are left running). */
    private static boolean stop(KafkaRaftServer server) {
        Thread stopper = Thread.ofPlatform().name("embedded-kafka-shutdown").start(() -> {
            server.shutdown();
            server.awaitShutdown();
        });
        try {
            if (stopper.join(SHUTDOWN_TIMEOUT)) {
                return true;
            }
            LOG.warning(() -> "The embedded Kafka did not stop within " + SHUTDOWN_TIMEOUT.toSeconds() + " s; leaving its threads behind");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded Kafka", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
