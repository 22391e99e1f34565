package org.kreplay.report;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module boundaries of docs/design.md: report → analyze → ingest, internals stay internal. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.kreplay");

  @Test
  void ingestKnowsNothingOfAnalysisOrReports() {
    noClasses().that().resideInAPackage("org.kreplay.ingest..")
        .should().dependOnClassesThat().resideInAnyPackage("org.kreplay.analyze..", "org.kreplay.report..")
        .check(CLASSES);
  }

  @Test
  void analysisKnowsNothingOfReports() {
    noClasses().that().resideInAPackage("org.kreplay.analyze..")
        .should().dependOnClassesThat().resideInAPackage("org.kreplay.report..")
        .check(CLASSES);
  }

  @Test
  void internalsAreNotUsedAcrossModules() {
    noClasses().that().resideOutsideOfPackage("org.kreplay.ingest..")
        .should().dependOnClassesThat().resideInAPackage("org.kreplay.ingest.internal..")
        .check(CLASSES);
    noClasses().that().resideOutsideOfPackage("org.kreplay.analyze..")
        .should().dependOnClassesThat().resideInAPackage("org.kreplay.analyze.internal..")
        .check(CLASSES);
  }
}
