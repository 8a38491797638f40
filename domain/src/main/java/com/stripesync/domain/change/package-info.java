/**
 * Local catalog changes on their way to external systems: each change is recorded in an outbox in the
 * same transaction as the catalog write, then published, then applied by one worker per system.
 */
@NullMarked
package com.stripesync.domain.change;

import org.jspecify.annotations.NullMarked;
