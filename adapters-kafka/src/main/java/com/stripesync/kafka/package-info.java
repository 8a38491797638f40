/** Kafka adapter: relays the outbox to topics and runs the sync workers (arrives with the outbound sync). */
@NullMarked
package com.stripesync.kafka;

import org.jspecify.annotations.NullMarked;
