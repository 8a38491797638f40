/** The customer catalog over the {@code customers} table. */
@NullMarked
package com.stripesync.persistence.customer;

import org.jspecify.annotations.NullMarked;
