@NullMarked
package com.stripesync.application.sync;

import org.jspecify.annotations.NullMarked;
