@NullMarked
package com.stripesync.web.problem;

import org.jspecify.annotations.NullMarked;
