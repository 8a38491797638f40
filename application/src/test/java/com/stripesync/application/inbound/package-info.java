@NullMarked
package com.stripesync.application.inbound;

import org.jspecify.annotations.NullMarked;
