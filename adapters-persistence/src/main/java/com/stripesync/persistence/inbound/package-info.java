/**
 * The ledger of applied inbound events, over the {@code processed_events} table, and the batch store that
 * locks and writes in a few statements what a batch of inbound events touches.
 */
@NullMarked
package com.stripesync.persistence.inbound;

import org.jspecify.annotations.NullMarked;
