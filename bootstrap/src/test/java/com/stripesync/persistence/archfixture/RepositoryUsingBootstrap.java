package com.stripesync.persistence.archfixture;

import com.stripesync.bootstrap.Main;

/** Breaks "nobody knows bootstrap": an adapter that calls the wiring module. */
public final class RepositoryUsingBootstrap {

    public String mainClass() {
        return Main.class.getName();
    }
}
