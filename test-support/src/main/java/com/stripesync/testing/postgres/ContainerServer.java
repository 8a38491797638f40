package com.stripesync.testing.postgres;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 17 in a container, for machines with Docker that want the image production runs. Only this
 * class touches Testcontainers, so Testcontainers is loaded only when it is chosen.
 */
final class ContainerServer implements SharedServer {

    static final DockerImageName IMAGE = DockerImageName.parse("postgres:17");

    private final PostgreSQLContainer<?> container;

    private ContainerServer(PostgreSQLContainer<?> container) {
        this.container = container;
    }

    static ContainerServer start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("test.infra=containers asks for Testcontainers, but no Docker "
                    + "engine answers; drop the setting to use the embedded PostgreSQL");
        }
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(IMAGE);
        container.start();
        return new ContainerServer(container);
    }

    @Override
    public String jdbcUrl() {
        return container.getJdbcUrl();
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public boolean outlivesTests() {
        return false;
    }

    @Override
    public String description() {
        return "Testcontainers " + IMAGE + " at " + jdbcUrl();
    }

    @Override
    public void close() {
        container.stop();
    }
}
