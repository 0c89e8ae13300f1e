package io.fhirstream.source.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.fhir.JsonLimits;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {
  private static final String PATIENT =
      "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"versionId\":\"3\","
          + "\"lastUpdated\":\"2024-05-01T10:00:00.123Z\"},\"name\":[{\"family\":\"Secret\"}]}";

  private static List<byte[]> lines(String text, JsonLimits limits) throws Exception {
    List<byte[]> out = new ArrayList<>();
    try (NdjsonLines lines =
        new NdjsonLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limits)) {
      byte[] line;
      while ((line = lines.next()) != null) {
        out.add(line);
      }
    }
    return out;
  }

  @Test
  void eachLineBecomesAnEventCarryingItsBytesVerbatim() throws Exception {
    List<byte[]> lines = lines(PATIENT + "\r\n" + PATIENT + "\n", JsonLimits.DEFAULT);

    assertThat(lines).hasSize(2);
    ChangeEvent event = NdjsonLines.event(lines.get(0), "Patient", JsonLimits.DEFAULT);
    assertThat(event.id()).isEqualTo("p1");
    assertThat(event.versionId()).isEqualTo("3");
    assertThat(event.lastUpdated()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123Z"));
    assertThat(new String(event.body(), StandardCharsets.UTF_8)).isEqualTo(PATIENT);
  }

  @Test
  void aLastLineWithoutLineBreakIsRead() throws Exception {
    assertThat(lines(PATIENT, JsonLimits.DEFAULT)).hasSize(1);
    assertThat(lines("", JsonLimits.DEFAULT)).isEmpty();
  }

  @Test
  void aLineOverTheLimitIsDroppedWhileReadingAndTheNextLineStillRead() throws Exception {
    JsonLimits small = new JsonLimits(50, 1000, 64);
    String huge =
        "{\"resourceType\":\"Patient\",\"id\":\"x\",\"text\":\"" + "a".repeat(500) + "\"}";
    String ok = "{\"resourceType\":\"Patient\",\"id\":\"ok\"}";

    List<byte[]> lines = lines(huge + "\n" + ok + "\n", small);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isSameAs(NdjsonLines.TOO_LONG);
    assertThatThrownBy(() -> NdjsonLines.event(lines.get(0), "Patient", small))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("longer than the limit");
    assertThat(NdjsonLines.event(lines.get(1), "Patient", small).id()).isEqualTo("ok");
  }

  @Test
  void badLinesAreRefusedWithReasonsThatNeverQuoteTheContent() {
    byte[] garbled = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":Secret".getBytes();
    byte[] wrongType = PATIENT.replace("Patient", "Observation").getBytes();
    byte[] noId = "{\"resourceType\":\"Patient\",\"name\":\"Secret\"}".getBytes();

    for (byte[] line : List.of(garbled, wrongType, noId)) {
      assertThatThrownBy(() -> NdjsonLines.event(line, "Patient", JsonLimits.DEFAULT))
          .isInstanceOf(BadEventException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Secret"));
    }
  }
}
