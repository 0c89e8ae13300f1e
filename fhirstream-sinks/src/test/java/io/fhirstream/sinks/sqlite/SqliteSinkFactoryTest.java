package io.fhirstream.sinks.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSinkFactoryTest {
  @TempDir Path directory;

  @Test
  void foundByNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(DocumentSinkFactory.class))
        .filteredOn(factory -> factory.name().equals("sqlite"))
        .singleElement()
        .isInstanceOf(SqliteSinkFactory.class);
  }

  @Test
  void everyKeyIsUnderTheStorePrefixWithDefaults() {
    assertThat(new SqliteSinkFactory().configDefinition().keys())
        .allMatch(key -> key.name().startsWith("sink.sqlite."))
        .noneMatch(ConfigKey::required)
        .extracting(ConfigKey::name)
        .containsExactly("sink.sqlite.path", "sink.sqlite.busy-timeout", "sink.sqlite.synchronous");
  }

  @Test
  void defaultsGiveTheDocumentedSettings() {
    Config config = SqliteSinkConfig.DEFINITION.parse(Map.of());

    assertThat(SqliteSinkConfig.from(config))
        .isEqualTo(
            new SqliteSinkConfig(
                Path.of("fhirstream-data/fhirstream.db"),
                Duration.ofSeconds(5),
                SqliteSinkConfig.Synchronous.FULL));
  }

  @Test
  void createsASinkForTheConfiguredFile() {
    Path file = directory.resolve("configured.db");
    Config config =
        SqliteSinkConfig.DEFINITION.parse(
            Map.of(
                "sink.sqlite.path", file.toString(),
                "sink.sqlite.busy-timeout", "250ms",
                "sink.sqlite.synchronous", "normal"));

    DocumentSink sink = new SqliteSinkFactory().create(config);

    assertThat(sink).isInstanceOf(SqliteDocumentSink.class);
    assertThat(((SqliteDocumentSink) sink).config())
        .isEqualTo(
            new SqliteSinkConfig(
                file, Duration.ofMillis(250), SqliteSinkConfig.Synchronous.NORMAL));
  }

  @Test
  void badSynchronousValueNamesTheKeyAndChoices() {
    assertThatThrownBy(
            () -> SqliteSinkConfig.DEFINITION.parse(Map.of("sink.sqlite.synchronous", "off")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("sink.sqlite.synchronous: must be one of full, normal");
  }
}
