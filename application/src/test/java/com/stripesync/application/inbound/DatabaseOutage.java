package com.stripesync.application.inbound;

import com.stripesync.domain.customer.CatalogUnavailable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;

/**
 * A switch in front of the ports the database serves: while the database is down, every call through a
 * {@link #guard}ed port fails with {@link CatalogUnavailable}, as the persistence adapters fail when it is out
 * of reach, without reaching the store behind.
 */
final class DatabaseOutage {

    private boolean down;

    /** {@code target} behind a proxy that fails every call while the database is down. */
    <T> T guard(Class<T> port, T target) {
        Object proxy = Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (self, method, args) -> {
            if (down) {
                throw new CatalogUnavailable("The database cannot be reached",
                        new ConnectException("connection refused (simulated)"));
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return port.cast(proxy);
    }

    void begin() {
        down = true;
    }

    void end() {
        down = false;
    }
}
