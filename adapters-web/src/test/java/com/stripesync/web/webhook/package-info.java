@NullMarked
package com.stripesync.web.webhook;

import org.jspecify.annotations.NullMarked;
