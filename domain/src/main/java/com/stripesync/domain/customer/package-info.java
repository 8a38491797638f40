/** The customer aggregate, its values and the local catalog port. */
@NullMarked
package com.stripesync.domain.customer;

import org.jspecify.annotations.NullMarked;
