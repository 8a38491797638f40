/** Holds HTTP responses against the service's OpenAPI document. */
@NullMarked
package com.stripesync.testing.openapi;

import org.jspecify.annotations.NullMarked;
