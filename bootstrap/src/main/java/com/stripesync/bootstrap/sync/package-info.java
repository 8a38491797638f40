/** Runs the outbound sync: the outbox relay loop and one worker per external system. */
@NullMarked
package com.stripesync.bootstrap.sync;

import org.jspecify.annotations.NullMarked;
