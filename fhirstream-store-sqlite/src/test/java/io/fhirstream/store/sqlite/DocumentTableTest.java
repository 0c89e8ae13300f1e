package io.fhirstream.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentTableTest {

  @Test
  void fhirResourceTypeNamesAreValidTableNames() {
    for (String type :
        List.of(
            "Patient",
            "Observation",
            "MedicationRequest",
            "Group",
            "Order",
            "A",
            "A" + "b".repeat(63))) {
      assertThat(DocumentTable.isValidName(type)).as(type).isTrue();
    }
  }

  @Test
  void anythingElseIsRejected() {
    for (String type :
        List.of(
            "Patient; DROP TABLE x",
            "Patient\"; DROP TABLE x; --",
            "Patient\"",
            "Patient--",
            "Pa tient",
            "patient",
            "sqlite_schema",
            "fhirstream_meta",
            "Patient1",
            "Patient_",
            "Patiënt",
            "",
            "A" + "b".repeat(64))) {
      assertThat(DocumentTable.isValidName(type)).as(type).isFalse();
      assertThatThrownBy(() -> DocumentTable.upsertSql(type))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> DocumentTable.createSql(type))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(DocumentTable.isValidName(null)).isFalse();
  }

  @Test
  void tableNamesAreQuoted() {
    assertThat(DocumentTable.createSql("Group"))
        .startsWith("CREATE TABLE IF NOT EXISTS \"Group\" (");
    assertThat(DocumentTable.upsertSql("Order")).startsWith("INSERT INTO \"Order\" (");
  }
}
