package io.fhirstream.api.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.FhirFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FhirJsonTest {

  private static ResourceMeta read(String json) throws BadEventException {
    return FhirJson.readMeta(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String reasonFor(String json) {
    try {
      read(json);
    } catch (BadEventException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the JSON to be rejected");
  }

  @Test
  void readsMetaOfARealPatientWhereverMetaStands() throws Exception {
    ResourceMeta meta = FhirJson.readMeta(FhirFixtures.bytes("fhir/patient-synthea.json"));

    assertThat(meta)
        .isEqualTo(
            new ResourceMeta(
                "Patient",
                "39234650-0229-4aee-975b-c8ee68bab40b",
                "3",
                Instant.parse("2024-05-01T08:00:00.123Z")));
  }

  @Test
  void readsMetaDespiteUnusualWhitespaceAndUnicode() throws Exception {
    ResourceMeta meta =
        FhirJson.readMeta(FhirFixtures.bytes("fhir/patient-unusual-whitespace.json"));

    assertThat(meta.id()).isEqualTo("unusual-1");
    assertThat(meta.versionId()).isEqualTo("7");
    assertThat(meta.lastUpdated()).isEqualTo(Instant.parse("2024-05-01T10:00:00.000001Z"));
  }

  @Test
  void readsMetaFromASliceOfABuffer() throws Exception {
    byte[] json = FhirFixtures.patient("p1", "2", FhirFixtures.T0);
    byte[] framed = new byte[json.length + 8];
    System.arraycopy(json, 0, framed, 4, json.length);
    framed[0] = '[';
    framed[framed.length - 1] = ']';

    ResourceMeta meta = FhirJson.readMeta(framed, 4, json.length);

    assertThat(meta).isEqualTo(new ResourceMeta("Patient", "p1", "2", FhirFixtures.T0));
  }

  @Test
  void missingIdIsNull() throws Exception {
    ResourceMeta meta = FhirJson.readMeta(FhirFixtures.bytes("fhir/patient-no-id.json"));

    assertThat(meta.resourceType()).isEqualTo("Patient");
    assertThat(meta.id()).isNull();
    assertThat(meta.versionId()).isEqualTo("1");
  }

  @Test
  void missingMetaGivesNulls() throws Exception {
    assertThat(read("{\"resourceType\":\"Patient\",\"id\":\"x\"}"))
        .isEqualTo(new ResourceMeta("Patient", "x", null, null));
  }

  @Test
  void missingResourceTypeIsRejected() {
    assertThat(reasonFor("{\"id\":\"x\"}")).isEqualTo("no resourceType");
  }

  @Test
  void notJsonIsRejectedWithItsPosition() {
    assertThat(reasonFor("{\"resourceType\":\"Patient\",\n\"id\":}"))
        .startsWith("not valid JSON (line 2");
    assertThat(reasonFor("{\"resourceType\":\"Patient\"")).startsWith("not valid JSON");
  }

  @Test
  void notAnObjectIsRejected() {
    assertThat(reasonFor("[{\"resourceType\":\"Patient\"}]")).isEqualTo("not a JSON object");
    assertThat(reasonFor("\"Patient\"")).isEqualTo("not a JSON object");
    assertThat(reasonFor("")).isEqualTo("not a JSON object");
  }

  @Test
  void trailingContentIsRejected() {
    assertThat(reasonFor("{\"resourceType\":\"Patient\"} {}"))
        .isEqualTo("trailing content after the JSON object");
  }

  @Test
  void wrongFieldTypesAreRejected() {
    assertThat(reasonFor("{\"resourceType\":\"Patient\",\"id\":7}"))
        .isEqualTo("id is not a string");
    assertThat(reasonFor("{\"resourceType\":\"Patient\",\"meta\":[]}"))
        .isEqualTo("meta is not an object");
    assertThat(reasonFor("{\"resourceType\":\"Patient\",\"meta\":{\"versionId\":1}}"))
        .isEqualTo("meta.versionId is not a string");
    assertThat(reasonFor("{\"resourceType\":\"Patient\",\"meta\":{\"lastUpdated\":\"yesterday\"}}"))
        .isEqualTo("meta.lastUpdated is not a FHIR instant");
  }

  @Test
  void nestingDepthOfTenThousandIsRejectedAsOverTheLimit() {
    String deep =
        "{\"resourceType\":\"Patient\",\"extension\":"
            + "[".repeat(10_000)
            + "]".repeat(10_000)
            + "}";

    assertThat(reasonFor(deep))
        .isEqualTo(
            "JSON exceeds fhirstream's limits (nesting depth over "
                + JsonLimits.DEFAULT.maxDepth()
                + ")");
  }

  @Test
  void nestingWithinTheLimitIsRead() throws Exception {
    int depth = JsonLimits.DEFAULT.maxDepth() - 2;
    String nested =
        "{\"resourceType\":\"Patient\",\"extension\":"
            + "[".repeat(depth)
            + "]".repeat(depth)
            + "}";

    assertThat(read(nested).resourceType()).isEqualTo("Patient");
  }

  @Test
  void reasonsNeverQuoteTheInput() {
    String[] hostile = {
      "{\"resourceType\":\"Patient\",\"name\":Johnson}",
      "{\"resourceType\":\"Patient\",\"name\":\"Johnson}",
      "{\"resourceType\":\"Patient\",\"Johnson\":}",
      "{\"resourceType\":\"Patient\",\"meta\":{\"lastUpdated\":\"Johnson\"}}",
      "{\"resourceType\":\"Patient\",\"meta\":{\"versionId\":Johnson}}",
      "{\"resourceType\":\"Patient\"} Johnson",
      "Johnson",
      "{Johnson:1}",
      "{\"resourceType\":\"Patient\",\"id\":\"Johnson\\q\"}",
      "{\"resourceType\":\"Patient\",\"name\":\"" + "Johnson".repeat(10) + "\u0001\"}",
    };
    for (String json : hostile) {
      assertThat(reasonFor(json)).as(json).doesNotContainIgnoringCase("johnson");
    }
  }

  @Test
  void parseInstantAcceptsFhirInstantsWithAnyOffset() throws Exception {
    assertThat(FhirJson.parseInstant("2024-05-01T10:00:00+02:00"))
        .isEqualTo(Instant.parse("2024-05-01T08:00:00Z"));
    assertThat(FhirJson.parseInstant("2024-05-01T08:00:00.123456789Z"))
        .isEqualTo(Instant.parse("2024-05-01T08:00:00.123456789Z"));
    assertThat(FhirJson.parseInstant(null)).isNull();
    assertThatThrownBy(() -> FhirJson.parseInstant("2024-05-01"))
        .isInstanceOf(BadEventException.class);
  }
}
