/** Contract tests of the outgoing ports: one abstract class per port, run against every adapter of it. */
@NullMarked
package com.stripesync.testing.contract;

import org.jspecify.annotations.NullMarked;
