package io.fhirstream.kafka.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.JsonLimits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The dead-letter meter's reason tag: a few categories, whatever the reason's wording. */
class DeadLetterCategoryTest {

  private static String decodeReason(String json, JsonLimits limits) {
    try {
      FhirJson.readMeta(json.getBytes(StandardCharsets.UTF_8), limits);
    } catch (BadEventException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a bad event");
  }

  @Test
  void decodingFailuresFallIntoTheirCategories() {
    assertThat(DeadLetters.category(decodeReason("{not json", JsonLimits.DEFAULT), false))
        .isEqualTo("invalid-json");
    assertThat(DeadLetters.category(decodeReason("[1]", JsonLimits.DEFAULT), false))
        .isEqualTo("invalid-json");
    assertThat(
            DeadLetters.category(
                decodeReason(
                    "{\"resourceType\":\"Patient\",\"id\":\"1\"}", new JsonLimits(64, 64, 10)),
                false))
        .isEqualTo("too-large");
    assertThat(DeadLetters.category(decodeReason("{\"id\":\"1\"}", JsonLimits.DEFAULT), false))
        .isEqualTo("wrong-type");
    assertThat(DeadLetters.category("record has no key (the resource id)", false))
        .isEqualTo("invalid-id");
    assertThat(DeadLetters.category("resource id does not equal the record key", false))
        .isEqualTo("invalid-id");
    assertThat(DeadLetters.category("resourceType does not match the topic's type Patient", false))
        .isEqualTo("wrong-type");
    assertThat(DeadLetters.category("meta.lastUpdated is not a FHIR instant", false))
        .isEqualTo("invalid-resource");
  }

  @Test
  void aStoreRefusalIsItsOwnCategoryWhateverTheText() {
    assertThat(DeadLetters.category("not valid JSON", true)).isEqualTo("store-refused");
  }
}
