package com.stripesync.testing.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what one class logs (through {@link System.Logger}, which writes to java.util.logging here). */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(Class<?> type) {
        this.logger = Logger.getLogger(type.getName());
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type);
    }

    /** Everything logged so far, in order. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The messages logged at {@code level} or above, thrown exceptions included as text. */
    public List<String> messages(Level level) {
        return records.stream()
                .filter(record -> record.getLevel().intValue() >= level.intValue())
                .map(record -> record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()))
                .toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
