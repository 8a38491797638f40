/** Reads configuration, builds the adapters, wires them and starts the service. Knows everything; nobody knows it. */
@NullMarked
package com.stripesync.bootstrap;

import org.jspecify.annotations.NullMarked;
