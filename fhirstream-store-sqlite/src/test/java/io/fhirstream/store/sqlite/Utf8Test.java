package io.fhirstream.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.FhirFixtures;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void acceptsRealFhirJsonInAnyScript() {
    assertThat(Utf8.isValid(FhirFixtures.bytes("fhir/patient-unusual-whitespace.json"))).isTrue();
    assertThat(Utf8.isValid(FhirFixtures.bytes("fhir/patient-synthea.json"))).isTrue();
    assertThat(Utf8.isValid("Zoë 東京 🎉 \u0000 \uFEFF".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(Utf8.isValid(new byte[0])).isTrue();
  }

  @Test
  void rejectsWhatTheJdkDecoderRejects() {
    byte[][] malformed = {
      bytes(0x80), // lone continuation
      bytes(0xC0, 0xAF), // overlong '/'
      bytes(0xC1, 0xBF), // overlong
      bytes(0xE0, 0x80, 0xAF), // overlong
      bytes(0xED, 0xA0, 0x80), // surrogate U+D800
      bytes(0xF0, 0x80, 0x80, 0xAF), // overlong
      bytes(0xF4, 0x90, 0x80, 0x80), // above U+10FFFF
      bytes(0xF5, 0x80, 0x80, 0x80),
      bytes(0xFF),
      bytes('a', 0xC3), // truncated
      bytes(0xE2, 0x82), // truncated
      bytes(0xE2, 0x28, 0xA1), // bad continuation
      "Müller".getBytes(StandardCharsets.ISO_8859_1),
    };
    for (byte[] input : malformed) {
      assertThat(jdkAccepts(input)).isFalse();
      assertThat(Utf8.isValid(input)).isFalse();
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(7);
    int[] interesting = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF,
      0xF0, 0xF4, 0xF5, 0xFF
    };
    java.util.List<String> disagreements = new java.util.ArrayList<>();
    for (int round = 0; round < 100_000; round++) {
      byte[] input = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < input.length; i++) {
        input[i] =
            (byte)
                (random.nextBoolean()
                    ? interesting[random.nextInt(interesting.length)]
                    : random.nextInt(256));
      }
      if (Utf8.isValid(input) != jdkAccepts(input)) {
        disagreements.add(java.util.HexFormat.of().formatHex(input));
      }
    }
    assertThat(disagreements).isEmpty();
  }
}
