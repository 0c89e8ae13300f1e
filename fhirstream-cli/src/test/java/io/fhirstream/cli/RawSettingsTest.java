package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.runtime.config.RawSettings;
import io.fhirstream.runtime.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawSettingsTest {
  @TempDir Path dir;

  @Test
  void environmentOverridesFileAndCommandLineOverridesBoth() throws IOException {
    Path file = dir.resolve("fhirstream.properties");
    Files.writeString(file, "source.poll-interval=5s\nsource.page-size=10\nsink.group-id=file\n");

    Map<String, String> raw =
        RawSettings.merge(
            file,
            Map.of(
                "FHIRSTREAM_SOURCE_PAGE_SIZE",
                "20",
                "FHIRSTREAM_SINK_GROUP_ID",
                "env",
                "PATH",
                "/usr/bin"),
            Map.of("sink.group-id", "flag"),
            Settings.definitions());

    assertThat(raw)
        .containsEntry("source.poll-interval", "5s")
        .containsEntry("source.page-size", "20")
        .containsEntry("sink.group-id", "flag")
        .doesNotContainKey("PATH");
  }

  @Test
  void kafkaClientSettingsPassThroughTheEnvironment() {
    Map<String, String> raw =
        RawSettings.merge(
            null,
            Map.of(
                "FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                "10.0.0.1:9092",
                "FHIRSTREAM_KAFKA_PRODUCER_LINGER_MS",
                "5"),
            Map.of(),
            Settings.definitions());
    assertThat(raw)
        .containsEntry("kafka.bootstrap.servers", "10.0.0.1:9092")
        .containsEntry("kafka.producer.linger.ms", "5");
  }

  @Test
  void misspelledEnvironmentVariableIsAnError() {
    assertThatThrownBy(
            () ->
                RawSettings.merge(
                    null,
                    Map.of("FHIRSTREAM_SOURCE_FHIR_BASEURL", "x"),
                    Map.of(),
                    Settings.definitions()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FHIRSTREAM_SOURCE_FHIR_BASEURL");
  }

  @Test
  void secretsInKafkaSettingsNeverAppearInHubConfigText() {
    Settings settings =
        Settings.parse(
            Map.of(
                "source.fhir.base-url", "http://127.0.0.1:1/fhir",
                "kafka.sasl.jaas.config", "password=\"s3cret-value\""));
    assertThat(settings.hub().toString()).doesNotContain("s3cret-value");
    assertThat(settings.toString()).doesNotContain("s3cret-value");
  }
}
