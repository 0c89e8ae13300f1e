package io.fhirstream.source.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushConfigTest {
  private static PushConfig parse(Map<String, String> raw) {
    return PushConfig.from(PushConfig.DEFINITION.parse(raw));
  }

  @Test
  void offByDefault() {
    PushConfig config = parse(Map.of());
    assertThat(config.enabled()).isFalse();
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.fullResource()).isTrue();
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void pushModeNeedsASecretAndSaysWhere() {
    assertThatThrownBy(() -> parse(Map.of("source.push.enabled", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("source.push.secret")
        .hasMessageContaining("FHIRSTREAM_SOURCE_PUSH_SECRET");
  }

  @Test
  void theSecretTravelsAsABearerTokenOrAsACustomHeaderButIsNeverPrinted() {
    Map<String, String> raw = new HashMap<>();
    raw.put("source.push.enabled", "true");
    raw.put("source.push.secret", "t0p-secret");
    PushConfig bearer = parse(raw);
    assertThat(bearer.headerLine()).isEqualTo("Authorization: Bearer t0p-secret");
    assertThat(bearer.toString()).doesNotContain("t0p-secret");

    raw.put("source.push.secret-header", "X-Fhirstream-Secret");
    assertThat(parse(raw).headerLine()).isEqualTo("X-Fhirstream-Secret: t0p-secret");
  }

  @Test
  void subscriptionsPointAtThePublicUrlElseTheBoundAddress() {
    Map<String, String> raw = new HashMap<>(Map.of("source.push.path", "/hooks/"));
    assertThat(parse(raw).endpointUrl(9001)).isEqualTo(URI.create("http://127.0.0.1:9001/hooks"));
    raw.put("source.push.public-url", "https://fhirstream.example.org/hooks/");
    assertThat(parse(raw).endpointUrl(9001))
        .isEqualTo(URI.create("https://fhirstream.example.org/hooks"));
  }

  @Test
  void aPathWithOddCharactersIsRefused() {
    assertThatThrownBy(() -> parse(Map.of("source.push.path", "hooks")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("source.push.path");
  }
}
