/** The ledger of applied inbound events, over the {@code processed_events} table. */
@NullMarked
package com.stripesync.persistence.inbound;

import org.jspecify.annotations.NullMarked;
