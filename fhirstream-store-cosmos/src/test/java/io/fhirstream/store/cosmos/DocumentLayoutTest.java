package io.fhirstream.store.cosmos;

import static io.fhirstream.api.FhirFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The item layout, without a server. */
class DocumentLayoutTest {
  private final DocumentLayout layout = new DocumentLayout("id", Duration.ZERO);

  private static ChangeEvent patient(String json) {
    return ChangeEvent.upsert("Patient", "p1", "2", T0, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void resourceIsTheItemWithOurFieldsUnderOneReservedName() throws BadEventException {
    ObjectNode item = layout.item(FhirFixtures.patientVersion("p1", 3));

    assertThat(item.path("id").asText()).isEqualTo("p1");
    assertThat(item.path("resourceType").asText()).isEqualTo("Patient");
    assertThat(item.path("_fhirstream").path("versionId").asText()).isEqualTo("3");
    assertThat(item.path("_fhirstream").path("versionNum").asLong()).isEqualTo(3);
    assertThat(item.path("_fhirstream").path("lastUpdated").asText())
        .isEqualTo(T0.plusSeconds(180).toString());
    assertThat(item.path("_fhirstream").path("deleted").asBoolean()).isFalse();
    assertThat(item.path("_fhirstream").has("decimals")).isFalse();
  }

  @Test
  void tombstoneHasIdAndVersionOnlyAndExpiresWhenConfigured() throws BadEventException {
    ObjectNode item =
        new DocumentLayout("id", Duration.ofDays(30)).item(FhirFixtures.patientDeletion("p1", 4));

    assertThat(item.fieldNames()).toIterable().containsExactly("id", "ttl", "_fhirstream");
    assertThat(item.path("ttl").asInt()).isEqualTo(30 * 24 * 3600);
    assertThat(item.path("_fhirstream").path("deleted").asBoolean()).isTrue();
    assertThat(item.path("_fhirstream").path("versionId").asText()).isEqualTo("4");
  }

  @Test
  void numbersADoubleWouldChangeAreKeptAsText() throws BadEventException {
    ObjectNode item =
        layout.item(
            patient(
                "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"a\":150.0,\"b\":1.50e2,\"c\":0.1,"
                    + "\"d\":[12345678901234567890,3,2.50],\"e\":9007199254740993}"));

    assertThat(item.path("_fhirstream").path("decimals").toString())
        .isEqualTo(
            "{\"/a\":\"150.0\",\"/b\":\"150E0\",\"/d/0\":\"12345678901234567890\","
                + "\"/d/2\":\"2.50\",\"/e\":\"9007199254740993\"}");
  }

  @Test
  void aBodyWhoseIdDiffersKeepsItBesideTheKey() throws BadEventException {
    ObjectNode item =
        layout.item(
            ChangeEvent.upsert(
                "Patient",
                "key",
                "1",
                T0,
                "{\"resourceType\":\"Patient\",\"id\":\"other\"}"
                    .getBytes(StandardCharsets.UTF_8)));

    assertThat(item.path("id").asText()).isEqualTo("key");
    assertThat(item.path("_fhirstream").path("bodyId").asText()).isEqualTo("other");
  }

  @Test
  void otherPartitionKeyPathGetsTheIdUnlessTheResourceUsesThatName() throws BadEventException {
    DocumentLayout byPk = new DocumentLayout("pk", Duration.ZERO);
    assertThat(byPk.item(FhirFixtures.patientVersion("p1", 1)).path("pk").asText()).isEqualTo("p1");
    assertThat(byPk.item(FhirFixtures.patientDeletion("p1", 2)).path("pk").asText())
        .isEqualTo("p1");

    DocumentLayout byGender = new DocumentLayout("gender", Duration.ZERO);
    assertThatThrownBy(() -> byGender.item(FhirFixtures.patientVersion("p1", 1)))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("'gender'");
  }

  @Test
  void bodiesThatCannotBeItemsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> layout.item(patient("not json")))
        .isInstanceOf(BadEventException.class)
        .hasMessage("the body is not valid JSON");
    assertThatThrownBy(() -> layout.item(patient("[1]")))
        .hasMessage("the body is not a JSON object");
    assertThatThrownBy(() -> layout.item(patient("{\"resourceType\":\"Patient\"}")))
        .hasMessage("the body has no id");
    assertThatThrownBy(
            () -> layout.item(patient("{\"id\":\"p1\",\"_fhirstream\":{\"versionId\":\"9\"}}")))
        .hasMessageContaining("reserves");
  }

  @Test
  void itemsOverTwoMegabytesAreRefusedAsAzureWould() {
    ChangeEvent big =
        ChangeEvent.upsert(
            "Patient", "big", "1", T0, FhirFixtures.patientOfSize("big", "1", T0, 2_097_153));

    assertThatThrownBy(() -> layout.item(big))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("2 MB");
  }

  @Test
  void storedVersionComesFromOurFieldsOrElseFromFhirMeta() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    StoredVersion ours =
        DocumentLayout.storedVersion(
            json.readTree(
                "{\"id\":\"p1\",\"_etag\":\"e1\",\"_fhirstream\":{\"versionId\":\"5\","
                    + "\"lastUpdated\":\"2024-05-01T08:00:00.000001Z\",\"deleted\":true}}"));
    assertThat(ours)
        .isEqualTo(
            new StoredVersion(
                "5", java.time.Instant.parse("2024-05-01T08:00:00.000001Z"), true, "e1"));

    StoredVersion foreign =
        DocumentLayout.storedVersion(
            json.readTree(
                "{\"id\":\"p1\",\"_etag\":\"e2\",\"meta\":{\"versionId\":\"7\","
                    + "\"lastUpdated\":\"2024-05-01T10:00:00+02:00\"}}"));
    assertThat(foreign).isEqualTo(new StoredVersion("7", T0, false, "e2"));
  }
}
