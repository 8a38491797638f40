/** Links to external systems, over the {@code external_links} table. */
@NullMarked
package com.stripesync.persistence.link;

import org.jspecify.annotations.NullMarked;
