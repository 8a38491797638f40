/** The service's settings, read once from Helidon config (system properties > environment > application.yaml). */
@NullMarked
package com.stripesync.bootstrap.config;

import org.jspecify.annotations.NullMarked;
