/** What the adapter's tests share: change fixtures, a recording sync, and plain clients to look at topics and groups. */
@NullMarked
package com.stripesync.kafka.testkit;

import org.jspecify.annotations.NullMarked;
