@NullMarked
package com.stripesync.web.customer;

import org.jspecify.annotations.NullMarked;
