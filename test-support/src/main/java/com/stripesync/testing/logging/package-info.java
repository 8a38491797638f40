/** What a class logged, for tests that hold its log lines: {@link com.stripesync.testing.logging.LogCapture}. */
@NullMarked
package com.stripesync.testing.logging;

import org.jspecify.annotations.NullMarked;
