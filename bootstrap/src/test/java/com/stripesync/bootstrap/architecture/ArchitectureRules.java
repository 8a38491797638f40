package com.stripesync.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;

/** The hexagon's boundaries, one idea per rule. Checked against the real classes and against fixtures that break them. */
final class ArchitectureRules {

    static final String DOMAIN = "com.stripesync.domain..";
    static final String APPLICATION = "com.stripesync.application..";
    static final String BOOTSTRAP = "com.stripesync.bootstrap..";
    static final String WEB = "com.stripesync.web..";
    static final String PERSISTENCE = "com.stripesync.persistence..";
    static final String KAFKA = "com.stripesync.kafka..";
    static final String STRIPE = "com.stripesync.stripe..";
    static final String TESTING = "com.stripesync.testing..";
    static final String EMBEDDED = "com.stripesync.embedded..";

    /** Each adapter module's packages form one slice; everything else is no adapter. */
    private static final class AdapterSlices implements SliceAssignment {

        private static final List<String> ADAPTERS = List.of("web", "persistence", "kafka", "stripe");

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            for (String adapter : ADAPTERS) {
                String root = "com.stripesync." + adapter;
                if (javaClass.getPackageName().equals(root) || javaClass.getPackageName().startsWith(root + ".")) {
                    return SliceIdentifier.of(adapter);
                }
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "adapter modules " + ADAPTERS;
        }
    }

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

    /** Adapters reach each other only through the core's ports; bootstrap wires them together. */
    static final ArchRule ADAPTERS_DO_NOT_KNOW_EACH_OTHER = slices()
            .assignedFrom(new AdapterSlices())
            .should().notDependOnEachOther()
            .as("adapters depend on the core, never on another adapter")
            .allowEmptyShould(false);

    /** The embedded PostgreSQL and Kafka broker are the dev default's and the tests', never a production adapter's. */
    static final ArchRule EMBEDDED_INFRASTRUCTURE_STAYS_IN_BOOTSTRAP = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION, WEB, PERSISTENCE, KAFKA, STRIPE)
            .should().dependOnClassesThat().resideInAnyPackage(EMBEDDED, "kafka..", "io.zonky..")
            .as("only bootstrap starts embedded infrastructure")
            .allowEmptyShould(false);

    static final ArchRule NOTHING_DEPENDS_ON_BOOTSTRAP = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION, WEB, PERSISTENCE, KAFKA, STRIPE)
            .should().dependOnClassesThat().resideInAPackage(BOOTSTRAP)
            .as("only bootstrap knows everything; nobody knows bootstrap")
            .allowEmptyShould(false);

    private ArchitectureRules() {
    }
}
