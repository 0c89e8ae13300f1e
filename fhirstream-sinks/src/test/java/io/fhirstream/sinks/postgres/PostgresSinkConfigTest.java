package io.fhirstream.sinks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigKey;
import io.fhirstream.api.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings and their start-up checks; no server needed. */
class PostgresSinkConfigTest {
  private static final String URL = "jdbc:postgresql://db.example.org:5432/fhir";
  @TempDir Path directory;

  private static Config parse(String... keyValues) {
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put(keyValues[i], keyValues[i + 1]);
    }
    return PostgresSinkConfig.DEFINITION.parse(raw);
  }

  @Test
  void foundByNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(DocumentSinkFactory.class))
        .filteredOn(factory -> factory.name().equals("postgres"))
        .singleElement()
        .isInstanceOf(PostgresSinkFactory.class);
  }

  @Test
  void everyKeyIsUnderTheStorePrefixAndOnlyTheUrlIsRequired() {
    assertThat(new PostgresSinkFactory().configDefinition().keys())
        .allMatch(key -> key.name().startsWith("sink.postgres."))
        .filteredOn(ConfigKey::required)
        .extracting(ConfigKey::name)
        .containsExactly("sink.postgres.url");
  }

  @Test
  void defaultsGiveTheDocumentedSettings() {
    assertThat(PostgresSinkConfig.from(parse("sink.postgres.url", URL)))
        .isEqualTo(
            new PostgresSinkConfig(
                URL,
                "",
                null,
                "public",
                500,
                Duration.ofSeconds(10),
                Duration.ofMinutes(2),
                "prefer",
                "fhirstream-sink"));
  }

  @Test
  void missingUrlNamesTheKeyAndTheEnvironmentVariable() {
    assertThatThrownBy(() -> parse())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("sink.postgres.url: is required")
        .hasMessageContaining("FHIRSTREAM_SINK_POSTGRES_URL");
  }

  @Test
  void urlThatIsNotPostgresIsRefusedWithoutRepeatingIt() {
    String url = "jdbc:mysql://db.example.org/fhir?password=Sup3rSecret";

    assertThatThrownBy(() -> parse("sink.postgres.url", url))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("sink.postgres.url: is not a PostgreSQL JDBC URL")
        .hasMessageContaining("jdbc:postgresql://host:5432/database")
        .hasMessageNotContaining("Sup3rSecret")
        .hasMessageNotContaining("db.example.org");
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    assertThatThrownBy(() -> parse("sink.postgres.url", URL, "sink.postgres.schema", "fhir-data"))
        .hasMessageStartingWith("sink.postgres.schema: must be a schema name");
    assertThatThrownBy(() -> parse("sink.postgres.url", URL, "sink.postgres.batch-size", "0"))
        .hasMessage("sink.postgres.batch-size: must be between 1 and 100000");
    assertThatThrownBy(() -> parse("sink.postgres.url", URL, "sink.postgres.ssl-mode", "on"))
        .hasMessage(
            "sink.postgres.ssl-mode: must be one of disable, allow, prefer, require, verify-ca,"
                + " verify-full");
    assertThatThrownBy(() -> parse("sink.postgres.url", URL, "sink.postgres.connect-timeout", "0s"))
        .hasMessage("sink.postgres.connect-timeout: must be longer than zero");
  }

  @Test
  void passwordFileIsReadAtStartUpWithoutItsLineBreak() throws Exception {
    Path file = directory.resolve("password");
    Files.writeString(file, "fr0m-a-f1le\n");

    PostgresSinkConfig config =
        PostgresSinkConfig.from(
            parse("sink.postgres.url", URL, "sink.postgres.password-file", file.toString()));

    assertThat(config.password()).isEqualTo(new Secret("fr0m-a-f1le"));
  }

  @Test
  void passwordAndPasswordFileTogetherAreRefused() throws Exception {
    Path file = directory.resolve("password");
    Files.writeString(file, "fr0m-a-f1le");
    Config config =
        parse(
            "sink.postgres.url",
            URL,
            "sink.postgres.password",
            "Sup3rSecret",
            "sink.postgres.password-file",
            file.toString());

    assertThatThrownBy(() -> PostgresSinkConfig.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "sink.postgres.password-file: set either sink.postgres.password or"
                + " sink.postgres.password-file, not both")
        .hasMessageNotContaining("Sup3rSecret")
        .hasMessageNotContaining("fr0m-a-f1le");
  }

  @Test
  void unreadablePasswordFileNamesTheKeyAndThePath() {
    Path missing = directory.resolve("no-such-file");
    Config config =
        parse("sink.postgres.url", URL, "sink.postgres.password-file", missing.toString());

    assertThatThrownBy(() -> PostgresSinkConfig.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("sink.postgres.password-file: cannot read " + missing)
        .hasMessageContaining("check the path");
  }

  @Test
  void toStringShowsWhereButNeverThePasswordOrTheUrlQuery() {
    Config raw =
        parse(
            "sink.postgres.url", URL + "?password=In-Url-S3cret&ssl=true",
            "sink.postgres.user", "writer",
            "sink.postgres.password", "Sup3rSecret");
    PostgresSinkConfig config = PostgresSinkConfig.from(raw);

    assertThat(config.toString())
        .contains("postgresql://db.example.org:5432/fhir", "writer", "[hidden]")
        .doesNotContain("Sup3rSecret", "In-Url-S3cret");
    assertThat(raw.toString()).doesNotContain("Sup3rSecret");
  }

  @Test
  void factoryMakesASinkWithTheParsedSettings() {
    var sink =
        new PostgresSinkFactory()
            .create(parse("sink.postgres.url", URL, "sink.postgres.batch-size", "1000"));

    assertThat(sink).isInstanceOf(PostgresDocumentSink.class);
    assertThat(((PostgresDocumentSink) sink).config().batchSize()).isEqualTo(1000);
  }
}
