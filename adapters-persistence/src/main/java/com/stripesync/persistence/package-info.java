/**
 * The PostgreSQL adapter: {@link com.stripesync.persistence.PostgresDatabase} opens a pool, migrates the
 * schema with Flyway and hands out the stores built on it. Table access is jOOQ over code generated from
 * the migrations ({@code com.stripesync.persistence.jooq}).
 */
@NullMarked
package com.stripesync.persistence;

import org.jspecify.annotations.NullMarked;
