/** Links between a local customer and its counterpart in an external system. */
@NullMarked
package com.stripesync.domain.link;

import org.jspecify.annotations.NullMarked;
