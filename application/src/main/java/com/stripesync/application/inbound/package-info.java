/**
 * Inbound sync: accepting an external system's webhooks durably, and applying its customer events to
 * the local catalog once, in order, without sending them back.
 */
@NullMarked
package com.stripesync.application.inbound;

import org.jspecify.annotations.NullMarked;
