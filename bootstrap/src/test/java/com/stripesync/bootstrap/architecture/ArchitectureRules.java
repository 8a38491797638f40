package com.stripesync.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;

import com.tngtech.archunit.lang.ArchRule;

/** The hexagon's boundaries, one idea per rule. Checked against the real classes and against fixtures that break them. */
final class ArchitectureRules {

    static final String DOMAIN = "com.stripesync.domain..";
    static final String APPLICATION = "com.stripesync.application..";
    static final String BOOTSTRAP = "com.stripesync.bootstrap..";
    static final String WEB = "com.stripesync.web..";
    static final String PERSISTENCE = "com.stripesync.persistence..";
    static final String KAFKA = "com.stripesync.kafka..";
    static final String STRIPE = "com.stripesync.stripe..";

    static final ArchRule DOMAIN_DEPENDS_ONLY_ON_THE_JDK = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..", "org.jspecify.annotations..")
            .as("the domain depends only on the JDK and jspecify")
            .allowEmptyShould(false);

    static final ArchRule APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN = classes()
            .that().resideInAPackage(APPLICATION)
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage(APPLICATION, DOMAIN, "java..", "org.jspecify.annotations..")
            .as("the application depends only on the domain (and the JDK)")
            .allowEmptyShould(false);

    /** Domain inside, application around it, adapters outside and blind to each other; no layer may be empty. */
    static final ArchRule ADAPTERS_DO_NOT_KNOW_EACH_OTHER = onionArchitecture()
            .domainModels(DOMAIN)
            .applicationServices(APPLICATION)
            .adapter("web", WEB)
            .adapter("persistence", PERSISTENCE)
            .adapter("kafka", KAFKA)
            .adapter("stripe", STRIPE)
            .withOptionalLayers(false)
            .as("adapters depend on the core, never on another adapter")
            .allowEmptyShould(false);

    static final ArchRule NOTHING_DEPENDS_ON_BOOTSTRAP = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION, WEB, PERSISTENCE, KAFKA, STRIPE)
            .should().dependOnClassesThat().resideInAPackage(BOOTSTRAP)
            .as("only bootstrap knows everything; nobody knows bootstrap")
            .allowEmptyShould(false);

    private ArchitectureRules() {
    }
}
