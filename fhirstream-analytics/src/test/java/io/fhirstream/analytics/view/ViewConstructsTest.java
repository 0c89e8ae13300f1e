package io.fhirstream.analytics.view;

import static io.fhirstream.analytics.view.Fixtures.RUNNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.results.ColumnType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each ViewDefinition construct on small resources, and the rows and columns it makes. */
class ViewConstructsTest {
  private static final String PATIENT =
      """
      {"resourceType": "Patient", "id": "p1", "active": true, "birthDate": "1980-02-29",
       "multipleBirthInteger": 2,
       "name": [{"use": "official", "family": "Ng", "given": ["Ann", "Bo"]},
                {"use": "nickname", "family": "Nana"}],
       "contact": [{"name": {"family": "C1"}, "telecom": [{"value": "t1"}, {"value": "t2"}]},
                   {"name": {"family": "C2"}}],
       "managingOrganization": {"reference": "Organization/o9"},
       "generalPractitioner": [
         {"reference": "http://other.example/fhir/Practitioner/dr1/_history/4"},
         {"reference": "urn:uuid:4b7e-11", "type": "Practitioner"},
         {"reference": "#contained1"},
         {"identifier": {"value": "logical-only"}}]}""";

  private static List<Map<String, Object>> rows(String view, String resource) {
    return Fixtures.view(view).rows(RUNNER.parse(resource)).stream().map(ViewRow::asMap).toList();
  }

  private static String view(String resource, String selects) {
    return "{\"name\": \"v\", \"resource\": \"" + resource + "\", \"select\": [" + selects + "]}";
  }

  @Test
  void columnsEvaluateOnTheResource() {
    assertThat(
            rows(
                view(
                    "Patient",
                    """
        {"column": [{"name": "id", "path": "id"}, {"name": "family", "path": "name.family.first()"},
                    {"name": "active", "path": "active"}]}"""),
                PATIENT))
        .containsExactly(Map.of("id", "p1", "family", "Ng", "active", true));
  }

  @Test
  void forEachMakesARowPerItemJoinedWithTheOtherSelects() {
    assertThat(
            rows(
                view(
                    "Patient",
                    """
        {"column": [{"name": "id", "path": "id"}]},
        {"forEach": "name", "column": [{"name": "family", "path": "family"},
                                       {"name": "i", "path": "%rowIndex"}]}"""),
                PATIENT))
        .containsExactly(
            Map.of("id", "p1", "family", "Ng", "i", 0),
            Map.of("id", "p1", "family", "Nana", "i", 1));
  }

  @Test
  void forEachOverNothingMakesNoRowButForEachOrNullMakesOneOfNulls() {
    String bare = "{\"resourceType\": \"Patient\", \"id\": \"p2\"}";
    assertThat(
            rows(
                view(
                    "Patient",
                    """
        {"column": [{"name": "id", "path": "id"}]},
        {"forEach": "name", "column": [{"name": "family", "path": "family"}]}"""),
                bare))
        .isEmpty();
    List<Map<String, Object>> rows =
        rows(
            view(
                "Patient",
                """
        {"column": [{"name": "id", "path": "id"}]},
        {"forEachOrNull": "name", "column": [{"name": "family", "path": "family"}]}"""),
            bare);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("id", "p2").containsEntry("family", null);
  }

  @Test
  void nestedSelectsJoinWithTheirParentsFocus() {
    assertThat(
            rows(
                view(
                    "Patient",
                    """
        {"forEach": "contact", "column": [{"name": "contact", "path": "name.family"}],
         "select": [{"forEach": "telecom", "column": [{"name": "tel", "path": "value"}]}]}"""),
                PATIENT))
        .containsExactly(
            Map.of("contact", "C1", "tel", "t1"), Map.of("contact", "C1", "tel", "t2"));
  }

  @Test
  void unionAllConcatenatesBranchesAfterTheColumnsAndSelects() {
    CompiledView v =
        Fixtures.view(
            view(
                "Patient",
                """
        {"column": [{"name": "id", "path": "id"}],
         "unionAll": [{"forEach": "name", "column": [{"name": "n", "path": "family"}]},
                      {"forEach": "contact", "column": [{"name": "n", "path": "name.family"}]}],
         "select": [{"column": [{"name": "g", "path": "birthDate"}]}]}"""));
    assertThat(v.columns()).extracting(ViewColumn::name).containsExactly("id", "g", "n");
    assertThat(v.rows(RUNNER.parse(PATIENT)))
        .extracting(r -> r.get("n"))
        .containsExactly("Ng", "Nana", "C1", "C2");
  }

  @Test
  void repeatFollowsItsPathsDepthFirst() {
    String qr =
        """
        {"resourceType": "QuestionnaireResponse", "id": "q", "status": "completed",
         "item": [{"linkId": "1", "item": [{"linkId": "1.1",
                     "answer": [{"valueString": "x", "item": [{"linkId": "1.1.1"}]}]}]},
                  {"linkId": "2"}]}""";
    assertThat(
            rows(
                view(
                    "QuestionnaireResponse",
                    """
        {"repeat": ["item", "answer.item"], "column": [{"name": "link", "path": "linkId"},
                                                      {"name": "i", "path": "%rowIndex"}]}"""),
                qr))
        .containsExactly(
            Map.of("link", "1", "i", 0),
            Map.of("link", "1.1", "i", 1),
            Map.of("link", "1.1.1", "i", 2),
            Map.of("link", "2", "i", 3));
  }

  @Test
  void whereKeepsOnlyResourcesForWhichEveryPathIsTrue() {
    String v =
        """
        {"name": "v", "resource": "Patient", "where": [{"path": "active"},
         {"path": "name.where(use = %use).exists()"}],
         "constant": [{"name": "use", "valueCode": "official"}],
         "select": [{"column": [{"name": "id", "path": "id"}]}]}""";
    assertThat(rows(v, PATIENT)).hasSize(1);
    assertThat(rows(v, PATIENT.replace("\"active\": true", "\"active\": false"))).isEmpty();
    assertThat(rows(v, PATIENT.replace("\"active\": true,", ""))).isEmpty();
  }

  @Test
  void constantsOfEachKindAreSubstituted() {
    assertThat(
            rows(
                """
        {"name": "v", "resource": "Patient",
         "constant": [{"name": "i", "valueInteger": 1}, {"name": "d", "valueDate": "1980-02-29"},
                      {"name": "n", "valueDecimal": 1.5}, {"name": "b", "valueBoolean": true}],
         "select": [{"column": [{"name": "second", "path": "name[%i].family"},
                                {"name": "born", "path": "birthDate = %d"},
                                {"name": "twice", "path": "%n * 2"},
                                {"name": "flag", "path": "active = %b"}]}]}""",
                PATIENT))
        .containsExactly(
            Map.of("second", "Nana", "born", true, "twice", new BigDecimal("3.0"), "flag", true));
  }

  @Test
  void resourceKeyMatchesTheKeysOfReferencesToIt() {
    List<Map<String, Object>> rows =
        rows(
            view(
                "Patient",
                """
        {"column": [{"name": "key", "path": "getResourceKey()"},
          {"name": "org", "path": "managingOrganization.getReferenceKey(Organization)"},
          {"name": "not_a_patient", "path": "managingOrganization.getReferenceKey(Patient)"},
          {"name": "gps", "path": "generalPractitioner.getReferenceKey(Practitioner)",
           "collection": true},
          {"name": "any", "path": "generalPractitioner.getReferenceKey()", "collection": true}]}"""),
            PATIENT);
    assertThat(rows.get(0))
        .containsEntry("key", "p1")
        .containsEntry("org", "o9")
        .containsEntry("not_a_patient", null)
        .containsEntry("gps", List.of("dr1", "4b7e-11"))
        .containsEntry("any", List.of("dr1", "4b7e-11"));
  }

  @Test
  void collectionColumnHoldsEveryValueInOrder() {
    assertThat(
            rows(
                view(
                    "Patient",
                    """
        {"column": [{"name": "given", "path": "name.given", "collection": true},
                    {"name": "none", "path": "identifier.value", "collection": true}]}"""),
                PATIENT))
        .containsExactly(Map.of("given", List.of("Ann", "Bo"), "none", List.of()));
  }

  @Test
  void severalValuesInASingleColumnFailForThatResourceWithoutQuotingThem() {
    CompiledView v =
        Fixtures.view(
            view(
                "Patient",
                "{\"column\": [{\"name\": \"family\"," + " \"path\": \"name.family\"}]}"));
    ParsedResource p = RUNNER.parse(PATIENT);
    assertThatThrownBy(() -> v.rows(p))
        .isInstanceOf(ViewEvaluationException.class)
        .hasMessage(
            "View 'v' (test.json) failed on Patient/p1 at select[0].column[0].path: gave"
                + " 2 values; declare the column \"collection\": true, or narrow the path (first(),"
                + " where(...))");
  }

  @Test
  void whereGivingSomethingElseThanABooleanFailsWithoutQuotingIt() {
    CompiledView v =
        Fixtures.view(
            """
        {"name": "v", "resource": "Patient", "where": [{"path": "extension('u').value.first()"}],
         "select": [{"column": [{"name": "id", "path": "id"}]}]}""");
    ParsedResource p =
        RUNNER.parse(
            """
        {"resourceType": "Patient", "id": "p3",
         "extension": [{"url": "u", "valueString": "secret-value"}]}""");
    assertThatThrownBy(() -> v.rows(p))
        .isInstanceOf(ViewEvaluationException.class)
        .hasMessageContaining("Patient/p3 at where[0].path: gave a string, not one boolean")
        .hasMessageNotContaining("secret-value");
  }

  @Test
  void columnTypesAreInferredFromThePathAndDeclaredTypesWin() {
    CompiledView v =
        Fixtures.view(
            view(
                "Patient",
                """
        {"column": [{"name": "born", "path": "birthDate"}, {"name": "active", "path": "active"},
          {"name": "births", "path": "multipleBirth.ofType(integer)"},
          {"name": "deceased", "path": "deceased"},
          {"name": "families", "path": "name.family", "collection": true},
          {"name": "sum", "path": "1 + 2"}, {"name": "ratio", "path": "1 / 2"},
          {"name": "declared", "path": "id", "type": "string"}]}"""));
    assertThat(v.columns())
        .containsExactly(
            new ViewColumn("born", "date", false, ColumnType.DATE),
            new ViewColumn("active", "boolean", false, ColumnType.BOOLEAN),
            new ViewColumn("births", "integer", false, ColumnType.INTEGER),
            new ViewColumn("deceased", null, false, ColumnType.TEXT),
            new ViewColumn("families", "string", true, ColumnType.JSON),
            new ViewColumn("sum", "integer", false, ColumnType.INTEGER),
            new ViewColumn("ratio", "decimal", false, ColumnType.DECIMAL),
            new ViewColumn("declared", "string", false, ColumnType.TEXT));
    assertThat(v.rows(RUNNER.parse(PATIENT)).get(0).values())
        .containsExactly(
            "1980-02-29", true, 2, null, List.of("Ng", "Nana"), 3, new BigDecimal("0.5"), "p1");
  }

  @Test
  void declaredTypeMayBeGivenAsItsStructureDefinitionUrl() {
    CompiledView v =
        Fixtures.view(
            view(
                "Patient",
                """
        {"column": [{"name": "born", "path": "birthDate",
                     "type": "http://hl7.org/fhir/StructureDefinition/date"}]}"""));
    assertThat(v.columns()).containsExactly(new ViewColumn("born", "date", false, ColumnType.DATE));
  }

  @Test
  void oneParsedResourceServesEveryViewOverItsType() {
    CompiledView ids =
        Fixtures.view(view("Patient", "{\"column\": [{\"name\": \"id\"," + " \"path\": \"id\"}]}"));
    CompiledView names =
        Fixtures.view(
            view(
                "Patient",
                "{\"forEach\": \"name\", \"column\":"
                    + " [{\"name\": \"f\", \"path\": \"family\"}]}"));
    ParsedResource p = RUNNER.parse(PATIENT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(ids.rows(p)).hasSize(1);
    assertThat(names.rows(p)).hasSize(2);
    assertThat(names.rows(p)).isEqualTo(names.rows(p));
  }

  @Test
  void aResourceOfAnotherTypeIsRefused() {
    CompiledView v =
        Fixtures.view(
            view("Observation", "{\"column\": [{\"name\": \"id\"," + " \"path\": \"id\"}]}"));
    assertThatThrownBy(() -> v.rows(RUNNER.parse(PATIENT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("view 'v' (test.json) reads Observation, not Patient");
  }

  @Test
  void unparseableResourcesFailWithoutQuotingTheirContent() {
    assertThatThrownBy(
            () ->
                RUNNER.parse(
                    "{\"resourceType\": \"Patient\"," + " \"birthDate\": \"secret-1980\"}"))
        .isInstanceOf(ViewEvaluationException.class)
        .hasMessageStartingWith("cannot parse the resource as FHIR R4 JSON (DataFormatException")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RUNNER.parse("{\"resourceType\": \"Secretum\"}"))
        .isInstanceOf(ViewEvaluationException.class)
        .hasMessageNotContaining("Secretum");
    assertThatThrownBy(() -> RUNNER.parse("not json")).isInstanceOf(ViewEvaluationException.class);
  }

  @Test
  void rowsNeverPrintTheirValues() {
    ViewRow row =
        Fixtures.view(
                view(
                    "Patient",
                    "{\"column\": [{\"name\": \"f\"," + " \"path\": \"name.family.first()\"}]}"))
            .rows(RUNNER.parse(PATIENT))
            .get(0);
    assertThat(row.toString()).isEqualTo("ViewRow[1 columns]");
    assertThat(RUNNER.parse(PATIENT).toString()).isEqualTo("ParsedResource[Patient/p1]");
  }

  @Test
  void columnTypeFamiliesFollowTheFhirType() {
    assertThat(ColumnTypes.of("positiveInt", false)).isEqualTo(ColumnType.INTEGER);
    assertThat(ColumnTypes.of("instant", false)).isEqualTo(ColumnType.DATETIME);
    assertThat(ColumnTypes.of("time", false)).isEqualTo(ColumnType.TIME);
    assertThat(ColumnTypes.of("uuid", false)).isEqualTo(ColumnType.TEXT);
    assertThat(ColumnTypes.of("decimal", true)).isEqualTo(ColumnType.JSON);
    assertThat(ColumnTypes.of(null, false)).isEqualTo(ColumnType.TEXT);
  }
}
