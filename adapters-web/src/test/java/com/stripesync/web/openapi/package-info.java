@NullMarked
package com.stripesync.web.openapi;

import org.jspecify.annotations.NullMarked;
