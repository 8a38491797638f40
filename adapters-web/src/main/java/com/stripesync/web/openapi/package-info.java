/** The served OpenAPI document and its UI. */
@NullMarked
package com.stripesync.web.openapi;

import org.jspecify.annotations.NullMarked;
