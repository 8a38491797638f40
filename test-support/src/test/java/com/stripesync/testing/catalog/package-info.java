@NullMarked
package com.stripesync.testing.catalog;

import org.jspecify.annotations.NullMarked;
