package org.kreplay.report;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

  /**
   * A public package and the internal packages that implement it are one component (Traces opens
   * the internal readers that fill its TraceEvents; Analyzer runs the internal replay that fills
   * its AnalysisResult): between components no cycle. ingest.log is ingest's kernel-log half.
   */
  private static final SliceAssignment COMPONENTS = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      if (!p.startsWith("org.kreplay.")) return SliceIdentifier.ignore();
      String rest = p.substring("org.kreplay.".length());
      int internal = rest.indexOf(".internal");
      if (internal >= 0) rest = rest.substring(0, internal);
      if (rest.equals("ingest.log")) rest = "ingest";
      return SliceIdentifier.of(rest);
    }

    @Override
    public String getDescription() {
      return "components (a public package with its internals)";
    }
  };

  /** Inside a module's internals, each package is a slice of its own; public packages are not part of these slices. */
  private static final SliceAssignment INTERNAL_PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      return p.startsWith("org.kreplay.") && p.contains(".internal") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "internal packages";
    }
  };

  @Test
  void componentsAreFreeOfCycles() {
    slices().assignedFrom(COMPONENTS).should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void internalPackagesAreFreeOfCycles() {
    slices().assignedFrom(INTERNAL_PACKAGES).should().beFreeOfCycles().check(CLASSES);
  }

  /**
   * Result values carry what the analysis found; merging results (cross-trace cycles) is the
   * analyzer's, never the value's, and only the analyzer's ResultRecording writes into them.
   */
  @Test
  void resultValuesDoNotRunAnalysis() {
    noClasses().that().resideInAPackage("org.kreplay.analyze").and().haveSimpleNameNotStartingWith("Analyzer")
        .and().haveSimpleNameNotStartingWith("SplatAnalyzer").and().haveNameNotMatching("org\\.kreplay\\.analyze\\.ResultRecording.*")
        .should().dependOnClassesThat().resideInAnyPackage("org.kreplay.analyze.internal.context..")
        .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("org.kreplay.analyze.internal.."))))
        .check(CLASSES);
  }
}
