package com.stripesync.testing.postgres;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link TestDatabase} (a fresh schema on the JVM's shared server, see {@link TestDatabases})
 * into any test constructor, lifecycle or test method parameter of that type. Each injected parameter is a
 * new schema: take it in {@code @BeforeAll} or the constructor to share one schema across a class, in
 * {@code @BeforeEach} or the test method for one per test.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class CatalogTest {
 *     @BeforeEach
 *     void open(TestDatabase database) { ... }
 * }
 * }</pre>
 */
public final class PostgresExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return TestDatabases.freshSchema();
    }
}
