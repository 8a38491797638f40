package com.stripesync.web.openapi;

import io.helidon.integrations.openapi.ui.OpenApiUi;
import io.helidon.openapi.OpenApiFeature;

/**
 * Serves {@code META-INF/openapi.yaml} at {@code /openapi} and its UI at {@code /openapi/ui}. The document
 * is the hand-written contract; nothing is generated from the code.
 */
public final class OpenApiFeatures {

    public static final String DOCUMENT_RESOURCE = "META-INF/openapi.yaml";

    private OpenApiFeatures() {
    }

    public static OpenApiFeature withUi() {
        return OpenApiFeature.builder()
                .servicesDiscoverServices(false)
                .addService(OpenApiUi.create())
                .build();
    }
}
