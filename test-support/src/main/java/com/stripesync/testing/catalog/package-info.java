/** An in-memory customer catalog that keeps the rules of the real one, for tests above the persistence adapter. */
@NullMarked
package com.stripesync.testing.catalog;

import org.jspecify.annotations.NullMarked;
