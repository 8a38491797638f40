/** The customer resource: its routes, request and response bodies, entity tags. */
@NullMarked
package com.stripesync.web.customer;

import org.jspecify.annotations.NullMarked;
