/**
 * Real PostgreSQL for tests: one shared server per test JVM ({@link com.stripesync.testing.postgres.TestDatabases},
 * {@link com.stripesync.testing.postgres.PostgresExtension}), isolated by a fresh schema per test, and a
 * dedicated server a test may stop and restart ({@link com.stripesync.testing.postgres.DedicatedPostgres}).
 */
@NullMarked
package com.stripesync.testing.postgres;

import org.jspecify.annotations.NullMarked;
