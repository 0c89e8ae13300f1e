package io.fhirstream.store.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/** JSON to stored BSON and back, without a server: numbers, keys, refusals. */
class ResourceEncodingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RawBsonDocument stored(String json) throws BadEventException {
    return StoredLayout.toDocument(
        ChangeEvent.upsert(
            "Patient", "p", "1", FhirFixtures.T0, json.getBytes(StandardCharsets.UTF_8)));
  }

  private static String roundTrip(String json) throws BadEventException {
    return new String(
        BsonToJson.toJson(stored(json).getDocument("resource")), StandardCharsets.UTF_8);
  }

  /** Every number token in order: its kind and its exact value, scale included. */
  private static List<String> numbers(String json) throws IOException {
    List<String> out = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.VALUE_NUMBER_INT) {
          out.add("int " + parser.getBigIntegerValue());
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          BigDecimal value = new BigDecimal(parser.getText());
          String text = parser.getText();
          boolean negativeZero = text.startsWith("-") && value.signum() == 0;
          out.add(
              "fraction "
                  + (negativeZero ? "-" : "")
                  + value.unscaledValue()
                  + "e"
                  + -value.scale());
        }
      }
    }
    return out;
  }

  @Test
  void decimalsKeepTheirDigitsScaleAndKind() throws Exception {
    String json =
        "{\"resourceType\":\"Observation\",\"v\":[1.50,0.10,1.0,1e2,1.50e2,1E-7,-0.0,-0e0,0,-0,"
            + "3000000000,-9223372036854775808,12345678901234567890,"
            + "1234567890123456789012345678901234,0.000000000000000000000000000000001,"
            + "123.456e-2,7,2147483648,1.5E+3,9.999999999999999999999999999999999E+6144]}";

    String back = roundTrip(json);

    assertThat(numbers(back)).isEqualTo(numbers(json));
    assertThat(JSON.readTree(back)).isEqualTo(JSON.readTree(json));
    assertThat(back).contains("1.50,0.10,1.0,");
  }

  @Test
  void numbersAreStoredAsQueryableBsonNumbers() throws Exception {
    BsonDocument resource =
        stored("{\"a\":1.50,\"b\":7,\"c\":3000000000,\"d\":1e400}").getDocument("resource");

    assertThat(resource.get("a").getBsonType()).isEqualTo(BsonType.DECIMAL128);
    assertThat(resource.get("a").asDecimal128().getValue().toString()).isEqualTo("1.50");
    assertThat(resource.get("b").getBsonType()).isEqualTo(BsonType.INT32);
    assertThat(resource.get("c").getBsonType()).isEqualTo(BsonType.INT64);
    assertThat(resource.get("d").asDecimal128().getValue().toString()).isEqualTo("1E+400");
  }

  @Test
  void hostileKeysRoundTripAndAreStoredInert() throws Exception {
    String json =
        "{\"resourceType\":\"Patient\",\"$where\":\"sleep(10000)\",\"$set\":{\"deleted\":true},"
            + "\"a.b\":1,\"$\":2,\"\":3,\"x\\u0000y\":4,\"%24where\":5,"
            + "\"contained\":[{\"$ref\":\"Patient\",\"$id\":\"1\",\"$db\":\"admin\"}],"
            + "\"extension\":[{\"url\":\"http://x.org/$op\",\"valueString\":\"$gt\"}]}";

    RawBsonDocument document = stored(json);
    assertThat(namesIn(document.getDocument("resource")))
        .allSatisfy(name -> assertThat(name).doesNotStartWith("$").doesNotContain(".", "\u0000"));
    assertThat(JSON.readTree(roundTrip(json))).isEqualTo(JSON.readTree(json));
  }

  private static List<String> namesIn(BsonDocument document) {
    List<String> names = new ArrayList<>();
    document.forEach(
        (name, value) -> {
          names.add(name);
          if (value.isDocument()) {
            names.addAll(namesIn(value.asDocument()));
          } else if (value.isArray()) {
            value.asArray().stream()
                .filter(v -> v.isDocument())
                .forEach(v -> names.addAll(namesIn(v.asDocument())));
          }
        });
    return names;
  }

  @Test
  void storedFieldsHoldTheVersionExactly() throws Exception {
    Instant t = Instant.parse("2024-05-01T08:00:00.123456789Z");
    RawBsonDocument document =
        StoredLayout.toDocument(
            ChangeEvent.upsert("Patient", "p", "12", t, "{}".getBytes(StandardCharsets.UTF_8)));

    assertThat(document.getString("_id").getValue()).isEqualTo("p");
    assertThat(document.getString("versionId").getValue()).isEqualTo("12");
    assertThat(document.getInt64("versionNumber").getValue()).isEqualTo(12L);
    assertThat(document.getDateTime("lastUpdated").getValue()).isEqualTo(t.toEpochMilli());
    assertThat(document.getInt64("lastUpdatedSeconds").getValue()).isEqualTo(t.getEpochSecond());
    assertThat(document.getInt32("lastUpdatedNanos").getValue()).isEqualTo(123456789);
    assertThat(document.getBoolean("deleted").getValue()).isFalse();

    RawBsonDocument tombstone =
        StoredLayout.toDocument(ChangeEvent.delete("Patient", "p", "v-a", null));
    assertThat(tombstone.containsKey("resource")).isFalse();
    assertThat(tombstone.get("versionNumber").isNull()).isTrue();
    assertThat(tombstone.get("lastUpdatedSeconds").isNull()).isTrue();
    assertThat(tombstone.getBoolean("deleted").getValue()).isTrue();
  }

  @Test
  void whatMongoDbCannotHoldIsRefusedWithAReasonThatQuotesNothing() {
    String deep = "{\"a\":" + "[".repeat(99) + "]".repeat(99) + "}";
    List<String[]> cases =
        List.of(
            new String[] {"{\"v\":1234567890123456789012345678901234567890.5}", "decimal128"},
            new String[] {"{\"v\":1e7000}", "decimal128"},
            new String[] {"{\"v\":1.2345678901234567890e19}", "integer beyond 64 bits"},
            new String[] {"{\"name\":\"Ana\",\"name\":\"Bo\"}", "same key twice"},
            new String[] {"{\"name\":\"\\ud800Secret\"}", "unpaired UTF-16 surrogate"},
            // Jackson refuses a lone surrogate in a key itself.
            new String[] {"{\"\\udc00Secret\":1}", "not valid JSON"},
            new String[] {deep, "100 levels"},
            new String[] {"[1,2]", "not a JSON object"},
            new String[] {"{\"a\":1} {\"b\":2}", "content after"},
            new String[] {"{\"family\":\"Secret\"", "not valid JSON"},
            new String[] {"{\"family\":Secret}", "not valid JSON"});
    for (String[] c : cases) {
      assertThatThrownBy(() -> stored(c[0]))
          .as(c[0])
          .isInstanceOf(BadEventException.class)
          .hasMessageContaining(c[1])
          .message()
          .doesNotContain("Secret", "Ana", "Bo");
    }
    byte[] latin1 = "{\"family\":\"Müller\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(
            () ->
                StoredLayout.toDocument(
                    ChangeEvent.upsert("Patient", "p", "1", FhirFixtures.T0, latin1)))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("not valid JSON")
        .message()
        .doesNotContain("M");
  }

  @Test
  void nestingUpToTheLimitIsKept() throws Exception {
    String deepest = "{\"a\":" + "[".repeat(98) + "]".repeat(98) + "}";
    assertThat(JSON.readTree(roundTrip(deepest))).isEqualTo(JSON.readTree(deepest));
  }

  @Test
  void documentsOverSixteenMebibytesAreRefused() {
    byte[] big = FhirFixtures.patientOfSize("big", "1", FhirFixtures.T0, 17 * 1024 * 1024);
    assertThatThrownBy(
            () ->
                StoredLayout.toDocument(
                    ChangeEvent.upsert("Patient", "big", "1", FhirFixtures.T0, big)))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("16 MiB");
  }

  @Test
  void collectionNamesAreFhirTypeNamesOnly() {
    for (String ok : List.of("Patient", "Observation", "A", "A" + "b".repeat(63))) {
      assertThat(StoredLayout.isValidCollectionName(ok)).as(ok).isTrue();
    }
    for (String bad :
        List.of(
            "system.users",
            "$cmd",
            "Patient.x",
            "Pa tient",
            "patient",
            "",
            "Patient$",
            "Patient\0",
            "A" + "b".repeat(64))) {
      assertThat(StoredLayout.isValidCollectionName(bad)).as(bad).isFalse();
    }
    assertThat(StoredLayout.isValidCollectionName(null)).isFalse();
  }
}
