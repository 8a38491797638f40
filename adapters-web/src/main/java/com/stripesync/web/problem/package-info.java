/** Errors as RFC 9457 problems, mapped once for routes and for Helidon's direct handlers. */
@NullMarked
package com.stripesync.web.problem;

import org.jspecify.annotations.NullMarked;
