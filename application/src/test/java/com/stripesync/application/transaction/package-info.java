@NullMarked
package com.stripesync.application.transaction;

import org.jspecify.annotations.NullMarked;
