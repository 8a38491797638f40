@NullMarked
package com.stripesync.web;

import org.jspecify.annotations.NullMarked;
