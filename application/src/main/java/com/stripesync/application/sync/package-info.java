/**
 * Outbound sync: relaying recorded changes to the log, and applying them to one external system with
 * idempotency keys, retries and the rules that keep both sides equal.
 */
@NullMarked
package com.stripesync.application.sync;

import org.jspecify.annotations.NullMarked;
