/** The unit of work: several port calls that commit together or not at all. */
@NullMarked
package com.stripesync.domain.transaction;

import org.jspecify.annotations.NullMarked;
