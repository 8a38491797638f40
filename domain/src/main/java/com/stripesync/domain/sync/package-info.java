/** The port every external customer catalog (Stripe, Salesforce, ...) implements. */
@NullMarked
package com.stripesync.domain.sync;

import org.jspecify.annotations.NullMarked;
