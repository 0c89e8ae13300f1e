package io.fhirstream.analytics.view;

import static io.fhirstream.analytics.view.Fixtures.RUNNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a view is rejected at load, and what the message says. */
class ViewValidationTest {

  /** A Patient view named "v" whose first select has the given columns. */
  private static String patientView(String columns) {
    return "{\"name\": \"v\", \"resource\": \"Patient\", \"select\": [{\"column\": ["
        + columns
        + "]}]}";
  }

  private static ViewDefinitionException rejected(String json) {
    try {
      Fixtures.view(json);
    } catch (ViewDefinitionException e) {
      return e;
    }
    throw new AssertionError("the view was accepted: " + json);
  }

  @Test
  void badFhirPathNamesTheViewTheElementAndTheParserError() {
    ViewDefinitionException e =
        rejected(
            patientView(
                "{\"name\": \"a\", \"path\": \"id\"}, {\"name\": \"b\", \"path\": \"gender\"},"
                    + " {\"name\": \"c\", \"path\": \"name.where(\"}"));
    assertThat(e.view()).isEqualTo("'v' (test.json)");
    assertThat(e.element()).isEqualTo("select[0].column[2].path");
    assertThat(e.getMessage())
        .startsWith(
            "Invalid ViewDefinition 'v' (test.json) at select[0].column[2].path: "
                + "'name.where(' is not a valid FHIRPath expression");
  }

  @Test
  void unknownElementIsRejectedWithTheTypeItWasReadFrom() {
    assertThat(rejected(patientView("{\"name\": \"f\", \"path\": \"name.famly\"}")).getMessage())
        .contains("at select[0].column[0].path: unknown element 'famly' on HumanName");
  }

  @Test
  void unknownElementInForEachIsRejected() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Patient",
         "select": [{"forEach": "adress", "column": [{"name": "c", "path": "city"}]}]}""");
    assertThat(e.element()).isEqualTo("select[0].forEach");
    assertThat(e.problem()).contains("unknown element 'adress' on Patient");
  }

  @Test
  void choiceElementByItsJsonNameGetsTheFhirPathSpelling() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Observation",
         "select": [{"column": [{"name": "v", "path": "valueQuantity.value"}]}]}""");
    assertThat(e.problem()).contains("write value.ofType(Quantity)");
  }

  @Test
  void unknownResourceTypeSuggestsTheSpelling() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "patient", "select": [{"column": [{"name": "i", "path": "id"}]}]}
        """);
    assertThat(e.element()).isEqualTo("resource");
    assertThat(e.problem())
        .isEqualTo(
            "'patient' is not a FHIR R4 resource type (did you mean 'Patient'? Type names"
                + " are case-sensitive)");
  }

  @Test
  void missingResourceIsRejected() {
    assertThat(
            rejected(
                    "{\"name\": \"v\", \"select\": [{\"column\": [{\"name\": \"i\","
                        + " \"path\": \"id\"}]}]}")
                .getMessage())
        .contains("at resource: missing");
  }

  @Test
  void duplicateColumnNameNamesBothPlaces() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Patient",
         "select": [{"column": [{"name": "id", "path": "id"}]},
                    {"forEach": "name", "column": [{"name": "ID", "path": "family"}]}]}""");
    assertThat(e.element()).isEqualTo("select[1].column[0].name");
    assertThat(e.problem()).startsWith("duplicate column name 'ID' (also at select[0].column[0])");
  }

  @Test
  void unsupportedFunctionIsRejected() {
    assertThat(rejected(patientView("{\"name\": \"x\", \"path\": \"name.fancy()\"}")).problem())
        .startsWith("unsupported function fancy() in 'name.fancy()'");
  }

  @Test
  void functionsThatReachBeyondTheResourceAreRefusedWithTheReason() {
    assertThat(
            rejected(
                    patientView(
                        "{\"name\": \"x\", \"path\": \"managingOrganization.resolve().name\"}"))
                .problem())
        .startsWith(
            "function resolve() is not supported in views: a row must depend on its own"
                + " resource only");
    assertThat(
            rejected(patientView("{\"name\": \"x\", \"path\": \"birthDate < today()\"}")).problem())
        .contains("today() is not supported in views: rows would change without the resource");
    assertThat(
            rejected(patientView("{\"name\": \"x\", \"path\": \"name.trace('n').family\"}"))
                .problem())
        .contains("(patient data) to the log");
  }

  @Test
  void forEachAndForEachOrNullTogetherAreRejected() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Patient",
         "select": [{"forEach": "name", "forEachOrNull": "name",
                     "column": [{"name": "f", "path": "family"}]}]}""");
    assertThat(e.element()).isEqualTo("select[0]");
    assertThat(e.problem()).startsWith("forEach, forEachOrNull and repeat are alternatives");
  }

  @Test
  void unionAllBranchesWithDifferentColumnsAreRejected() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Patient",
         "select": [{"unionAll": [
           {"forEach": "name", "column": [{"name": "a", "path": "family"}]},
           {"forEach": "contact.name", "column": [{"name": "b", "path": "family"}]}]}]}""");
    assertThat(e.element()).isEqualTo("select[0].unionAll[1]");
    assertThat(e.problem())
        .isEqualTo(
            "every unionAll branch must have the same columns in the"
                + " same order: unionAll[0] has [a], unionAll[1] has [b]");
  }

  @Test
  void undefinedConstantListsTheDefinedOnes() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Patient", "constant": [{"name": "use", "valueCode": "home"}],
         "select": [{"column": [{"name": "c", "path": "address.where(use = %uze).city"}]}]}""");
    assertThat(e.problem()).startsWith("undefined constant %uze: the view defines only %use");
  }

  @Test
  void constantWithoutValueOrWithAnInvalidValueIsRejected() {
    assertThat(
            rejected(
                    """
        {"name": "v", "resource": "Patient", "constant": [{"name": "c"}],
         "select": [{"column": [{"name": "i", "path": "id"}]}]}""")
                .problem())
        .startsWith("constant 'c' has no value");
    assertThat(
            rejected(
                    """
        {"name": "v", "resource": "Patient", "constant": [{"name": "d", "valueDate": "soon"}],
         "select": [{"column": [{"name": "i", "path": "id"}]}]}""")
                .getMessage())
        .contains("at constant[0].valueDate: 'soon' is not a valid date");
    assertThat(
            rejected(
                    """
        {"name": "v", "resource": "Patient", "constant": [{"name": "n", "valueInteger": "1"}],
         "select": [{"column": [{"name": "i", "path": "id"}]}]}""")
                .getMessage())
        .contains("at constant[0].valueInteger: must be a JSON integer");
  }

  @Test
  void constantMayNotShadowRowIndex() {
    assertThat(
            rejected(
                    """
        {"name": "v", "resource": "Patient", "constant": [{"name": "rowIndex", "valueInteger": 1}],
         "select": [{"column": [{"name": "i", "path": "id"}]}]}""")
                .problem())
        .startsWith("'%rowIndex' already means something");
  }

  @Test
  void wherePathThatIsNotBooleanIsRejectedAtLoad() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Patient", "where": [{"path": "name.family"}],
         "select": [{"column": [{"name": "i", "path": "id"}]}]}""");
    assertThat(e.element()).isEqualTo("where[0].path");
    assertThat(e.problem())
        .startsWith("'name.family' gives string, but a where path must give a" + " boolean");
  }

  @Test
  void columnOfAComplexTypeIsRejected() {
    assertThat(rejected(patientView("{\"name\": \"n\", \"path\": \"name.first()\"}")).problem())
        .startsWith("'name.first()' gives HumanName, a complex type");
  }

  @Test
  void columnTypeMustBeAnR4PrimitiveType() {
    ViewDefinitionException e =
        rejected(patientView("{\"name\": \"i\", \"path\": \"id\", \"type\": \"varchar\"}"));
    assertThat(e.element()).isEqualTo("select[0].column[0].type");
    assertThat(e.problem()).startsWith("'varchar' is not a FHIR R4 primitive type");
  }

  @Test
  void ofTypeThatCanNeverMatchIsRejected() {
    assertThat(
            rejected(
                    """
        {"name": "v", "resource": "Observation",
         "select": [{"column": [{"name": "x", "path": "value.ofType(HumanName).family"}]}]}""")
                .problem())
        .startsWith("ofType(HumanName) never matches: the element is one of [");
  }

  @Test
  void referenceKeyNeedsAReferenceAndAResourceType() {
    assertThat(
            rejected(patientView("{\"name\": \"k\", \"path\": \"gender.getReferenceKey()\"}"))
                .problem())
        .isEqualTo("getReferenceKey() applies to a Reference, not to code");
    assertThat(
            rejected(
                    patientView(
                        "{\"name\": \"k\", \"path\": \"managingOrganization.getReferenceKey(Organisation)\"}"))
                .problem())
        .isEqualTo("getReferenceKey(Organisation): 'Organisation' is not an R4 resource type");
  }

  @Test
  void misspelledKeyIsRejectedNotIgnored() {
    ViewDefinitionException e =
        rejected(
            """
        {"name": "v", "resource": "Patient", "select": [{"colum": [{"name": "i", "path": "id"}]}]}
        """);
    assertThat(e.element()).isEqualTo("select[0].colum");
    assertThat(e.problem()).startsWith("unknown element; expected one of [column,");
  }

  @Test
  void wrongJsonTypeIsRejected() {
    assertThat(
            rejected(
                    """
        {"name": "v", "resource": "Patient", "select": [{"forEach": 1,
          "column": [{"name": "i", "path": "id"}]}]}""")
                .getMessage())
        .contains("at select[0].forEach: must be a JSON string, not number");
  }

  @Test
  void viewNameMustBeUsableAsATableName() {
    assertThat(
            rejected("{\"name\": \"my view\", \"resource\": \"Patient\", \"select\": []}")
                .element())
        .isEqualTo("name");
  }

  @Test
  void malformedJsonNamesTheLine() {
    assertThat(rejected("{\"name\": \"v\",\n \"resource\": }").problem())
        .startsWith("not valid JSON")
        .contains("(line 2)");
  }

  @Test
  void directoryLoaderNamesTheFileOfAnInvalidView(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("a_good.json"), patientView("{\"name\": \"i\", \"path\": \"id\"}"));
    Files.writeString(
        dir.resolve("b_bad.json"),
        """
        {"resource": "Patient", "select": [{"column": [{"name": "i", "path": "nme"}]}]}""");
    assertThatThrownBy(() -> RUNNER.loadDirectory(dir))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageStartingWith(
            "Invalid ViewDefinition (b_bad.json) at select[0].column[0].path:"
                + " unknown element 'nme' on Patient");
  }

  @Test
  void directoryLoaderRejectsTwoViewsWithOneName(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("one.json"), patientView("{\"name\": \"i\", \"path\": \"id\"}"));
    Files.writeString(dir.resolve("two.json"), patientView("{\"name\": \"j\", \"path\": \"id\"}"));
    assertThatThrownBy(() -> RUNNER.loadDirectory(dir))
        .hasMessageContaining(
            "'v' (two.json) at name: another view in the directory has the name"
                + " 'v' (one.json)");
  }

  @Test
  void directoryLoaderLoadsEveryJsonFileInNameOrder(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("b.json"),
        patientView("{\"name\": \"i\", \"path\": \"id\"}").replace("\"v\"", "\"b\""));
    Files.writeString(
        dir.resolve("a.json"),
        patientView("{\"name\": \"i\", \"path\": \"id\"}").replace("\"v\"", "\"a\""));
    Files.writeString(dir.resolve("notes.txt"), "not a view");
    assertThat(RUNNER.loadDirectory(dir)).extracting(CompiledView::name).containsExactly("a", "b");
  }

  @Test
  void missingClasspathViewIsNamed() {
    assertThatThrownBy(() -> RUNNER.loadClasspath("views/none.json"))
        .hasMessage(
            "Invalid ViewDefinition (classpath:views/none.json): no such classpath" + " resource");
  }
}
