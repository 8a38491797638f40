package com.stripesync.testing.kafka;

/** A broker the tests can reach, and a line saying which one it is. */
record RunningKafka(String bootstrapServers, String description) {
}
