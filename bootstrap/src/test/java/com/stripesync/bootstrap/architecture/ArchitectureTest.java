package com.stripesync.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every architecture rule over the production classes of all modules (they arrive as jars or
 * class folders on this module's classpath) and proves each rule can fail on a fixture that breaks it.
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.stripesync");
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("domain", ArchitectureRules.DOMAIN_DEPENDS_ONLY_ON_THE_JDK),
                Arguments.of("application", ArchitectureRules.APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN),
                Arguments.of("adapters", ArchitectureRules.ADAPTERS_DO_NOT_KNOW_EACH_OTHER),
                Arguments.of("embedded", ArchitectureRules.EMBEDDED_INFRASTRUCTURE_STAYS_IN_BOOTSTRAP),
                Arguments.of("bootstrap", ArchitectureRules.NOTHING_DEPENDS_ON_BOOTSTRAP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void productionClassesFollowTheRule(String name, ArchRule rule) {
        rule.check(production);
    }

    @Test
    void everyLayerImportsRealClasses() {
        for (String layer : new String[] {ArchitectureRules.DOMAIN, ArchitectureRules.APPLICATION,
                ArchitectureRules.WEB, ArchitectureRules.PERSISTENCE, ArchitectureRules.KAFKA,
                ArchitectureRules.STRIPE, ArchitectureRules.BOOTSTRAP}) {
            String prefix = layer.substring(0, layer.length() - 2);
            long count = production.stream()
                    .filter(javaClass -> javaClass.getPackageName().startsWith(prefix))
                    .count();
            assertThat(count).as("classes imported from %s", layer).isPositive();
        }
        assertThat(production.stream().map(c -> c.getName()))
                .contains("com.stripesync.domain.customer.Customer",
                        "com.stripesync.application.customer.CustomerService",
                        "com.stripesync.persistence.PostgresDatabase",
                        "com.stripesync.web.WebApi",
                        "com.stripesync.bootstrap.Main");
    }

    @Test
    void domainRuleCatchesADomainClassUsingAFramework() {
        assertViolation(ArchitectureRules.DOMAIN_DEPENDS_ONLY_ON_THE_JDK,
                "com.stripesync.domain.archfixture", "DomainClassUsingHelidon");
    }

    @Test
    void applicationRuleCatchesAUseCaseUsingAnAdapter() {
        assertViolation(ArchitectureRules.APPLICATION_DEPENDS_ONLY_ON_THE_DOMAIN,
                "com.stripesync.application.archfixture", "UseCaseUsingPersistence");
    }

    @Test
    void adapterRuleCatchesAnAdapterUsingAnotherAdapter() {
        assertViolation(ArchitectureRules.ADAPTERS_DO_NOT_KNOW_EACH_OTHER,
                "com.stripesync.web.archfixture", "WebHandlerUsingPersistence");
    }

    @Test
    void embeddedRuleCatchesAnAdapterStartingAnEmbeddedBroker() {
        assertViolation(ArchitectureRules.EMBEDDED_INFRASTRUCTURE_STAYS_IN_BOOTSTRAP,
                "com.stripesync.kafka.archfixture", "RelayStartingItsOwnBroker");
    }

    @Test
    void bootstrapRuleCatchesAnAdapterUsingBootstrap() {
        assertViolation(ArchitectureRules.NOTHING_DEPENDS_ON_BOOTSTRAP,
                "com.stripesync.persistence.archfixture", "RepositoryUsingBootstrap");
    }

    /** The production classes plus the fixtures (test classes), so that rules needing every layer see a full hexagon. */
    private static void assertViolation(ArchRule rule, String fixturePackage, String offender) {
        JavaClasses withFixtures = new ClassFileImporter().importPackages("com.stripesync");
        assertThat(withFixtures.contain(fixturePackage + "." + offender)).as("fixture %s imported", offender).isTrue();
        EvaluationResult result = rule.evaluate(withFixtures);
        assertThat(result.getFailureReport().getDetails())
                .as("violations of '%s'", rule.getDescription())
                .anyMatch(line -> line.contains(offender));
    }
}
