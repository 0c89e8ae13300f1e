package io.fhirstream.sinks.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings: found by name, validated at start-up with the key named, secrets never printed. */
class CosmosSinkFactoryTest {
  private static final String KEY_VALUE = "c2VjcmV0LWtleS1uZXZlci10by1iZS1zZWVu";
  private static final String ENDPOINT = "https://account.documents.azure.com:443/";

  private static Map<String, String> settings(String... pairs) {
    Map<String, String> raw = new HashMap<>();
    raw.put(CosmosSinkConfig.ENDPOINT, ENDPOINT);
    for (int i = 0; i < pairs.length; i += 2) {
      raw.put(pairs[i], pairs[i + 1]);
    }
    return raw;
  }

  private static CosmosSinkConfig parse(Map<String, String> raw) {
    return CosmosSinkConfig.from(CosmosSinkConfig.DEFINITION.parse(raw));
  }

  @Test
  void foundByItsNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(DocumentSinkFactory.class))
        .anyMatch(f -> f.name().equals("cosmos") && f instanceof CosmosSinkFactory);
  }

  @Test
  void defaultsAreDirectModeSessionConsistencyAndIdAsPartitionKey() {
    CosmosSinkConfig config = parse(settings(CosmosSinkConfig.KEY, KEY_VALUE));

    assertThat(config.mode()).isEqualTo(CosmosSinkConfig.Mode.DIRECT);
    assertThat(config.consistency()).isEqualTo(com.azure.cosmos.ConsistencyLevel.SESSION);
    assertThat(config.partitionKeyPath()).isEqualTo("/id");
    assertThat(config.database()).isEqualTo("fhirstream");
    assertThat(config.containerName("Patient")).isEqualTo("Patient");
    assertThat(config.batchSize()).isEqualTo(100);
    assertThat(config.tombstoneTtl()).isZero();
  }

  @Test
  void keyAuthenticationWithoutAKeyFailsNamingTheKey() {
    assertThatThrownBy(() -> parse(settings()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(CosmosSinkConfig.KEY + ":")
        .hasMessageContaining("FHIRSTREAM_SINK_COSMOS_KEY")
        .hasMessageContaining("entra-id");
  }

  @Test
  void endpointIsRequiredAndMustBeHttps() {
    Map<String, String> raw = settings(CosmosSinkConfig.KEY, KEY_VALUE);
    raw.remove(CosmosSinkConfig.ENDPOINT);
    assertThatThrownBy(() -> parse(raw)).hasMessageStartingWith(CosmosSinkConfig.ENDPOINT);

    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosSinkConfig.ENDPOINT,
                        "http://x:8081",
                        CosmosSinkConfig.KEY,
                        KEY_VALUE)))
        .hasMessageStartingWith(CosmosSinkConfig.ENDPOINT)
        .hasMessageContaining("https://");
  }

  @Test
  void entraIdNeedsNoKeyAndRefusesOne() {
    CosmosSinkConfig config = parse(settings(CosmosSinkConfig.AUTH, "entra-id"));
    assertThat(config.auth()).isEqualTo(CosmosSinkConfig.Auth.ENTRA_ID);
    assertThat(config.key()).isNull();

    assertThatThrownBy(
            () ->
                parse(settings(CosmosSinkConfig.AUTH, "entra-id", CosmosSinkConfig.KEY, KEY_VALUE)))
        .hasMessageStartingWith(CosmosSinkConfig.KEY)
        .hasMessageNotContaining(KEY_VALUE);
  }

  @Test
  void keyIsReadFromAFile(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("cosmos-key");
    Files.writeString(file, KEY_VALUE + "\n");

    assertThat(parse(settings(CosmosSinkConfig.KEY_FILE, file.toString())).key().value())
        .isEqualTo(KEY_VALUE);
    assertThatThrownBy(
            () -> parse(settings(CosmosSinkConfig.KEY_FILE, directory.resolve("none").toString())))
        .hasMessageStartingWith(CosmosSinkConfig.KEY_FILE);
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosSinkConfig.KEY_FILE,
                        file.toString(),
                        CosmosSinkConfig.KEY,
                        KEY_VALUE)))
        .hasMessageContaining("not both")
        .hasMessageNotContaining(KEY_VALUE);
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosSinkConfig.KEY,
                        KEY_VALUE,
                        CosmosSinkConfig.PARTITION_KEY_PATH,
                        "/subject/reference")))
        .hasMessageStartingWith(CosmosSinkConfig.PARTITION_KEY_PATH)
        .hasMessageContaining("one top-level property");
    assertThatThrownBy(
            () ->
                parse(
                    settings(CosmosSinkConfig.KEY, KEY_VALUE, CosmosSinkConfig.BATCH_SIZE, "500")))
        .hasMessageStartingWith(CosmosSinkConfig.BATCH_SIZE)
        .hasMessageContaining("100");
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosSinkConfig.KEY, KEY_VALUE, CosmosSinkConfig.CONNECTION_MODE, "tcp")))
        .hasMessageStartingWith(CosmosSinkConfig.CONNECTION_MODE);
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosSinkConfig.KEY,
                        KEY_VALUE,
                        CosmosSinkConfig.CONSISTENCY_LEVEL,
                        "linearizable")))
        .hasMessageStartingWith(CosmosSinkConfig.CONSISTENCY_LEVEL);
  }

  @Test
  void theKeyNeverAppearsWhenSettingsArePrinted() {
    Map<String, String> raw = settings(CosmosSinkConfig.KEY, KEY_VALUE);

    assertThat(CosmosSinkConfig.DEFINITION.parse(raw).toString()).doesNotContain(KEY_VALUE);
    assertThat(parse(raw).toString()).doesNotContain(KEY_VALUE).contains("[hidden]");
    assertThat(parse(raw).key().toString()).doesNotContain(KEY_VALUE);
    assertThat(new CosmosSinkFactory().create(CosmosSinkConfig.DEFINITION.parse(raw)).toString())
        .doesNotContain(KEY_VALUE);
  }

  @Test
  void aKeyThatIsNotBase64IsRefusedWithoutQuotingIt() {
    String notBase64 = "not-a-key-but-a-password!";
    CosmosSinkConfig config =
        CosmosTestServer.shared()
            .config("never-created")
            .withKey(new io.fhirstream.api.config.Secret(notBase64));

    assertThatThrownBy(() -> new CosmosDocumentSink(config).open(() -> (event, reason) -> {}))
        .hasMessageContaining(CosmosSinkConfig.KEY)
        .satisfies(e -> assertThat(CosmosStoreTest.everything(e)).doesNotContain(notBase64));
  }
}
