@NullMarked
package com.stripesync.application.customer;

import org.jspecify.annotations.NullMarked;
