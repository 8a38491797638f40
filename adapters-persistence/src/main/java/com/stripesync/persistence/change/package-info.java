/** The transactional outbox of customer changes, over the {@code customer_changes} table. */
@NullMarked
package com.stripesync.persistence.change;

import org.jspecify.annotations.NullMarked;
