/**
 * What the adapter's tests share: change and event fixtures, a recording sync and event handler, and plain
 * clients to look at topics and groups.
 */
@NullMarked
package com.stripesync.kafka.testkit;

import org.jspecify.annotations.NullMarked;
