package com.stripesync.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive OS file lock on the data directory, held from before formatting until the broker has
 * stopped.
 *
 * <p>Kafka's own {@code .lock} is taken by the broker half only, after the controller half has already
 * opened the shared metadata log: a second broker on a directory in use would run a second controller
 * on the same files before it fails. The OS drops this lock when its process dies, {@code kill -9}
 * included, so a crash leaves nothing to clean up.
 */
final class DataDirectoryLock implements AutoCloseable {

    private static final String LOCK_FILE = "embedded-kafka.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when a broker in this or another process holds the directory */
    static DataDirectoryLock acquire(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(LOCK_FILE);
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Optional<FileLock> lock = tryLock(channel);
            if (lock.isEmpty()) {
                channel.close();
                throw new IllegalStateException("the Kafka data directory " + dataDirectory
                        + " is in use by another embedded Kafka (in this JVM or another process)");
            }
            return new DataDirectoryLock(channel, lock.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    @Override
    public void close() {
        try (channel) {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on the Kafka data directory", e);
        }
    }

    private static Optional<FileLock> tryLock(FileChannel channel) throws IOException {
        try {
            return Optional.ofNullable(channel.tryLock());
        } catch (OverlappingFileLockException heldInThisJvm) {
            return Optional.empty();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
