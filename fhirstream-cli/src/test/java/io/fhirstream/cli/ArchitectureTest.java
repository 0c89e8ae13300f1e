package io.fhirstream.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;

/**
 * The layering the module list draws, enforced on the main code of every module the runnable jar
 * holds: the SPI depends on nothing of ours; the plugins (source, hub, stores) depend on the SPI
 * and never on each other; the runtime assembles roles from the SPI and knows no plugin, demo or
 * benchmark by name; the demo stands beside the runtime; only the CLI sees everything.
 */
@AnalyzeClasses(packages = "io.fhirstream", importOptions = ArchitectureTest.MainCodeOnly.class)
class ArchitectureTest {

  private static final String API = "io.fhirstream.api..";
  private static final String SOURCE = "io.fhirstream.source..";
  private static final String KAFKA = "io.fhirstream.kafka..";
  private static final String ANALYTICS = "io.fhirstream.analytics..";
  private static final String STORE = "io.fhirstream.store..";
  private static final String RUNTIME = "io.fhirstream.runtime..";
  private static final String DEMO = "io.fhirstream.demo..";
  private static final String BENCH = "io.fhirstream.bench..";
  private static final String CLI = "io.fhirstream.cli..";

  @ArchTest
  static final ArchRule theApiDependsOnNoModuleOfOurs =
      noClasses()
          .that()
          .resideInAPackage(API)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SOURCE, KAFKA, ANALYTICS, STORE, RUNTIME, DEMO, BENCH, CLI)
          .because("the SPI is what every module builds on");

  @ArchTest
  static final ArchRule theSourceKnowsNeitherTheHubNorTheStores =
      noClasses()
          .that()
          .resideInAPackage(SOURCE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(KAFKA, ANALYTICS, STORE, RUNTIME, DEMO, BENCH, CLI)
          .because("a source publishes through the SPI's EventPublisher only");

  @ArchTest
  static final ArchRule theHubKnowsNeitherTheSourceNorTheStores =
      noClasses()
          .that()
          .resideInAPackage(KAFKA)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SOURCE, ANALYTICS, STORE, RUNTIME, DEMO, BENCH, CLI)
          .because("the hub carries change events, whoever made them and wherever they go");

  @ArchTest
  static final ArchRule analyticsKnowsOnlyTheSpi =
      noClasses()
          .that()
          .resideInAPackage(ANALYTICS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SOURCE, KAFKA, STORE, RUNTIME, DEMO, BENCH, CLI)
          .because(
              "the analytics library (views, aggregates, topology, results sink) builds on the SPI"
                  + " and Kafka Streams; the runtime hands it the hub's settings and the store");

  @ArchTest
  static final ArchRule aStoreKnowsOnlyTheSpi =
      noClasses()
          .that()
          .resideInAPackage(STORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SOURCE, KAFKA, ANALYTICS, RUNTIME, DEMO, BENCH, CLI)
          .because("a store depends on the api and its own driver only");

  @ArchTest
  static final ArchRule storesDoNotImportEachOther =
      slices()
          .matching("io.fhirstream.store.(*)..")
          .should()
          .notDependOnEachOther()
          .because("each store is its own module with its own driver");

  @ArchTest
  static final ArchRule theRuntimeAssemblesFromTheSpiAlone =
      noClasses()
          .that()
          .resideInAPackage(RUNTIME)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SOURCE, STORE, DEMO, BENCH, CLI)
          .because(
              "the runtime finds sources and stores by name (ServiceLoader) and runs in production,"
                  + " where neither the demo nor the benchmarks are");

  @ArchTest
  static final ArchRule theDemoStandsBesideTheRuntime =
      noClasses()
          .that()
          .resideInAPackage(DEMO)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SOURCE, KAFKA, ANALYTICS, STORE, RUNTIME, BENCH, CLI)
          .because(
              "the demo server, data and checks are used by the CLI, the benchmarks and tests");

  @ArchTest
  static final ArchRule onlyTheCliUsesTheBenchmarks =
      noClasses()
          .that()
          .resideOutsideOfPackages(BENCH, CLI)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(BENCH);

  @ArchTest
  static final ArchRule nothingDependsOnTheCli =
      noClasses()
          .that()
          .resideOutsideOfPackage(CLI)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(CLI);

  @ArchTest
  static final ArchRule modulesHaveNoCycles =
      slices().matching("io.fhirstream.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule packagesInsideTheSourceHaveNoCycles =
      slices().matching("io.fhirstream.source.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule packagesInsideAnalyticsHaveNoCycles =
      slices().matching("io.fhirstream.analytics.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule packagesInsideTheHubHaveNoCycles =
      slices().matching("io.fhirstream.kafka.(*)..").should().beFreeOfCycles();

  /**
   * The modules' main classes: neither test classes in a module's own build nor those of another
   * module's test jar (the runtime's fixtures use the demo on purpose).
   */
  static final class MainCodeOnly implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/test-classes/")
          && !location.matches(Pattern.compile(".*-tests\\.jar.*"));
    }
  }
}
