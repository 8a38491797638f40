/** How the API reads and writes JSON: one strictly configured object mapper. */
@NullMarked
package com.stripesync.web.json;

import org.jspecify.annotations.NullMarked;
