package spark.desk.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code (issue 7), read from the compiled main classes. Every package is a slice of
 * its own, sub-packages included: {@code orders.shopify} is not {@code orders}, so an adapter
 * package and its parent may not lean on each other both ways either.
 */
class ArchitectureTest {
  static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("spark.desk");
  }

  @Test
  void noCycleBetweenOurPackages() {
    slices()
        .matching("spark.desk.(**)")
        .should()
        .beFreeOfCycles()
        .because("each package depends on those below it only (README, Development)")
        .check(main);
  }

  @Test
  void nothingImportsTheCompositionRoot() {
    noClasses()
        .that()
        .resideOutsideOfPackage("spark.desk")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("spark.desk")
        .because("App and Main build everything; nothing may reach back into them")
        .check(main);
  }

  @Test
  void theRootPackageHoldsOnlyTheCompositionRoot() {
    classes()
        .that()
        .resideInAPackage("spark.desk")
        .should()
        .haveNameMatching("spark\\.desk\\.(App|Main)(\\$.*)?")
        .because("everything else has a package that says what it is")
        .check(main);
  }

  @Test
  void theSopDependsOnNothingOfOursButTheCalendar() {
    noClasses()
        .that()
        .resideInAPackage("spark.desk.sop..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("spark.desk..")
                .and(resideOutsideOfPackages("spark.desk.sop..", "spark.desk.calendar..")))
        .because("the SOP runs the same in the server, in tests and in simulate")
        .check(main);
  }
}
