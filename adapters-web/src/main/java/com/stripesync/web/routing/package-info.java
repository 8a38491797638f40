/** The route table: one list of routes that feeds the routing and the test that holds it against the OpenAPI document. */
@NullMarked
package com.stripesync.web.routing;

import org.jspecify.annotations.NullMarked;
