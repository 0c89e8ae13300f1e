package io.fhirstream.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.runtime.LogCapture;
import io.fhirstream.runtime.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
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
  void analyticsDefinitionsWrittenInTheFileAreTakenFromTheFilesDirectory() throws IOException {
    Path config = Files.createDirectories(dir.resolve("conf"));
    Path file = config.resolve("fhirstream.properties");
    Files.writeString(file, "analytics.definitions=definitions\n");

    Map<String, String> fromFile =
        RawSettings.merge(file, Map.of(), Map.of(), Settings.definitions());
    Map<String, String> fromFlag =
        RawSettings.merge(
            file, Map.of(), Map.of("analytics.definitions", "mine"), Settings.definitions());

    assertThat(fromFile)
        .containsEntry("analytics.definitions", config.resolve("definitions").toString());
    assertThat(fromFlag).containsEntry("analytics.definitions", "mine");
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
                "kafka.bootstrap.servers", "kafka:9092",
                "kafka.sasl.jaas.config", "password=\"s3cret-value\""));
    assertThat(settings.hub().toString()).doesNotContain("s3cret-value");
    assertThat(settings.toString()).doesNotContain("s3cret-value");
  }

  @Test
  void renamedStoreKeysStillWorkUnderTheirOldNamesWithAWarningNamingTheNewOne() throws IOException {
    Path file = dir.resolve("old.properties");
    Files.writeString(file, "sink.store=sqlite\nsink.sqlite.busy-timeout=7s\n");
    Map<String, String> raw;
    try (LogCapture logs = new LogCapture()) {
      raw =
          RawSettings.merge(
              file,
              Map.of("FHIRSTREAM_SINK_SQLITE_PATH", dir.resolve("env.db").toString()),
              Map.of("sink.sqlite.synchronous", "normal"),
              Settings.definitions());
      assertThat(String.join("\n", logs.texts()))
          .contains("'sink.store' is deprecated; use 'store.type'")
          .contains("'sink.sqlite.busy-timeout' is deprecated; use 'store.sqlite.busy-timeout'")
          .contains("'sink.sqlite.synchronous' is deprecated; use 'store.sqlite.synchronous'")
          .contains("FHIRSTREAM_SINK_SQLITE_PATH is deprecated; use FHIRSTREAM_STORE_SQLITE_PATH");
    }

    assertThat(raw)
        .containsEntry("store.type", "sqlite")
        .containsEntry("store.sqlite.busy-timeout", "7s")
        .containsEntry("store.sqlite.synchronous", "normal")
        .containsEntry("store.sqlite.path", dir.resolve("env.db").toString())
        .doesNotContainKeys("sink.store", "sink.sqlite.busy-timeout", "sink.sqlite.synchronous");
    raw.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    assertThat(Settings.parse(raw, EnumSet.of(Role.SINK)).storeFactory().name())
        .isEqualTo("sqlite");
  }

  @Test
  void aNewNameSetBesideItsOldNameWins() {
    Map<String, String> raw =
        RawSettings.merge(
            null,
            Map.of(),
            Map.of("sink.sqlite.busy-timeout", "1s", "store.sqlite.busy-timeout", "2s"),
            Settings.definitions());
    assertThat(raw).containsEntry("store.sqlite.busy-timeout", "2s").hasSize(1);
  }

  @Test
  void aSinkOnlyInstanceNeedsNoSourceSettings() {
    Map<String, String> hubOnly = Map.of("kafka.bootstrap.servers", "127.0.0.1:9092");
    Settings settings = Settings.parse(hubOnly, EnumSet.of(Role.SINK));
    assertThat(settings.sourceConfig()).isNull();
    assertThat(settings.storeConfig()).isNotNull();
    assertThatThrownBy(() -> Settings.parse(hubOnly))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException::key)
                    .containsExactly("source.fhir.base-url"));
  }
}
