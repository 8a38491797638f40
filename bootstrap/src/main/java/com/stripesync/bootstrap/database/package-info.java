/** Which PostgreSQL the service uses: an external one, or the embedded default with its crash handling. */
@NullMarked
package com.stripesync.bootstrap.database;

import org.jspecify.annotations.NullMarked;
