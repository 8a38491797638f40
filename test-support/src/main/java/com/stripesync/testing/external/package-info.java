/** In-memory stand-ins for external systems, for tests of the core that need no HTTP. */
@NullMarked
package com.stripesync.testing.external;

import org.jspecify.annotations.NullMarked;
