/** The HTTP adapter: Helidon SE routes over the customer use cases and the webhook intake, answering JSON and RFC 9457 problems. */
@NullMarked
package com.stripesync.web;

import org.jspecify.annotations.NullMarked;
