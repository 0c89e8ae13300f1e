package io.fhirstream.store.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FieldNamesTest {

  @Test
  void fhirKeysAreStoredUnchanged() {
    for (String key :
        List.of("resourceType", "id", "meta", "_birthDate", "valueQuantity", "a$b", "div")) {
      assertThat(FieldNames.escape(key)).isSameAs(key);
      assertThat(FieldNames.unescape(key)).isSameAs(key);
    }
  }

  @Test
  void hostileKeysBecomeInertNamesAndComeBack() {
    for (String key :
        List.of(
            "$where",
            "$set",
            "$",
            "$$",
            "a.b",
            ".",
            "..",
            "",
            "%",
            "%25",
            "%2E",
            "x\u0000y",
            "\u0000",
            "$ref",
            "$id",
            "a.$b",
            "100%.",
            "%zz",
            "%%")) {
      String name = FieldNames.escape(key);
      assertThat(name).as(key).doesNotStartWith("$").doesNotContain(".", "\u0000").isNotEmpty();
      assertThat(FieldNames.unescape(name)).as(key).isEqualTo(key);
    }
    assertThat(FieldNames.escape("$where")).isEqualTo("%24where");
    assertThat(FieldNames.escape("a.b")).isEqualTo("a%2Eb");
    assertThat(FieldNames.escape("")).isEqualTo("%");
  }

  @Test
  void escapingIsReversibleAndInjectiveOnRandomKeys() {
    Random random = new Random(11);
    char[] alphabet = {'a', 'B', '$', '.', '%', '\u0000', '2', 'E', '5', 'é', '\u00e9', '\u6771'};
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    for (int round = 0; round < 20_000; round++) {
      StringBuilder key = new StringBuilder();
      int length = random.nextInt(6);
      for (int i = 0; i < length; i++) {
        key.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String name = FieldNames.escape(key.toString());
      assertThat(FieldNames.unescape(name)).isEqualTo(key.toString());
      String earlier = seen.putIfAbsent(name, key.toString());
      assertThat(earlier == null || earlier.equals(key.toString())).as(name).isTrue();
      assertThat(name).doesNotStartWith("$").doesNotContain(".", "\u0000").isNotEmpty();
    }
  }
}
