@NullMarked
package com.stripesync.web.routing;

import org.jspecify.annotations.NullMarked;
