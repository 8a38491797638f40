package com.stripesync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;

/**
 * Answers larger than one TCP segment (a page of 200 customers) must not wait for the client's delayed
 * acknowledgement (40 ms on Linux) between their segments: the server's connections have TCP_NODELAY.
 * Helidon's default leaves Nagle's algorithm on.
 */
class ServerSendsWithoutDelayTest {

    @Test
    void acceptedConnectionsHaveTcpNoDelay() {
        WebServerConfig.Builder server = WebServer.builder();

        WebApi.configureServer(server, WebSettings.defaults());

        assertThat(server.connectionOptions()).map(SocketOptions::tcpNoDelay).contains(true);
        assertThat(WebServer.builder().connectionOptions().map(SocketOptions::tcpNoDelay).orElse(false))
                .as("Helidon's own default, which configureServer must override")
                .isFalse();
    }
}
