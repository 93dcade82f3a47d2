package dev.mlops.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map of README and docs/architecture.md, as rules over the compiled library: each module
 * and package depends only along the arrows, backends do not know each other, and nothing outside the
 * library reaches an {@code internal} package. It runs here because this module has every library
 * artifact on its class path; each rule fails naming the offending class and dependency.
 */
class ArchitectureTest {
  private static final String CORE = "dev.mlops.core..";
  private static final String VALIDATION = "dev.mlops.validation..";
  private static final String MONITORING = "dev.mlops.monitoring..";
  private static final String STATS = "dev.mlops.stats..";
  private static final String SERVING_ONNX = "dev.mlops.serving.onnx..";
  private static final String SERVING_TRIBUO = "dev.mlops.serving.tribuo..";
  private static final String TEST_KIT = "dev.mlops.test..";

  private static JavaClasses library;
  private static JavaClasses examples;

  @BeforeAll
  static void importClasses() {
    ClassFileImporter importer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
    library = importer.importPackages("dev.mlops.core", "dev.mlops.stats", "dev.mlops.validation", "dev.mlops.monitoring",
        "dev.mlops.serving");
    examples = importer.importPackages("dev.mlops.examples");
  }

  @Test
  void coreDependsOnNoOtherModule() {
    check(noClasses().that().resideInAPackage(CORE).should().dependOnClassesThat()
        .resideInAnyPackage(STATS, VALIDATION, MONITORING, "dev.mlops.serving..", TEST_KIT));
  }

  @Test
  void statsDependsOnlyOnCore() {
    check(noClasses().that().resideInAPackage(STATS).should().dependOnClassesThat()
        .resideInAnyPackage(VALIDATION, MONITORING, "dev.mlops.serving..", TEST_KIT, "io.micrometer.."));
  }

  @Test
  void validationAndMonitoringDependOnlyOnCoreAndStats() {
    check(noClasses().that().resideInAPackage(VALIDATION).should().dependOnClassesThat()
        .resideInAnyPackage(MONITORING, "dev.mlops.serving..", TEST_KIT));
    check(noClasses().that().resideInAPackage(MONITORING).should().dependOnClassesThat()
        .resideInAnyPackage(VALIDATION, "dev.mlops.serving..", TEST_KIT));
  }

  @Test
  void servingKnowsNoBackend() {
    check(noClasses().that().resideInAnyPackage("dev.mlops.serving", "dev.mlops.serving.spi..",
            "dev.mlops.serving.repository..")
        .should().dependOnClassesThat().resideInAnyPackage(SERVING_ONNX, SERVING_TRIBUO, TEST_KIT,
            "ai.onnxruntime..", "org.tribuo.."));
  }

  @Test
  void theRepositoryDependsOnlyOnCore() {
    check(noClasses().that().resideInAPackage("dev.mlops.serving.repository..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.mlops.serving", "dev.mlops.serving.spi..", "dev.mlops.serving.promotion..",
            VALIDATION, MONITORING));
  }

  @Test
  void backendsDoNotKnowEachOther() {
    check(noClasses().that().resideInAPackage(SERVING_ONNX).should().dependOnClassesThat()
        .resideInAnyPackage(SERVING_TRIBUO, "org.tribuo.."));
    check(noClasses().that().resideInAPackage(SERVING_TRIBUO).should().dependOnClassesThat()
        .resideInAnyPackage(SERVING_ONNX, "ai.onnxruntime.."));
  }

  @Test
  void internalPackagesAreReachedOnlyFromTheirOwnModuleOrTheModulesAboveIt() {
    // core.internal serves the modules built on core; a backend's internal package only its backend
    check(noClasses().that().resideOutsideOfPackage(SERVING_ONNX).should().dependOnClassesThat()
        .resideInAPackage("dev.mlops.serving.onnx.internal.."));
    check(noClasses().that().resideOutsideOfPackage(SERVING_TRIBUO).should().dependOnClassesThat()
        .resideInAPackage("dev.mlops.serving.tribuo.internal.."));
    // validation.internal's located YAML reader also reads promotion policies (a qualified export)
    check(noClasses().that().resideOutsideOfPackages(VALIDATION, "dev.mlops.serving.promotion..")
        .should().dependOnClassesThat().resideInAPackage("dev.mlops.validation.internal.."));
  }

  @Test
  void examplesUseOnlyTheApi() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.mlops..internal..")
        .because("the examples are what users copy; they must show the public API only")
        .check(examples);
  }

  private static void check(ArchRule rule) {
    rule.check(library);
  }
}
