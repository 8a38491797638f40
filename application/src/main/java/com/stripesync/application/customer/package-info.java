/** Use cases over the local customer catalog. */
@NullMarked
package com.stripesync.application.customer;

import org.jspecify.annotations.NullMarked;
