/** Units of work over PostgreSQL: one thread-bound transaction that every store on the same thread joins. */
@NullMarked
package com.stripesync.persistence.transaction;

import org.jspecify.annotations.NullMarked;
