/**
 * The record format of a customer change on the log: key = the customer id, value = versioned JSON
 * ({@link com.stripesync.kafka.change.ChangeJson}).
 */
@NullMarked
package com.stripesync.kafka.change;

import org.jspecify.annotations.NullMarked;
