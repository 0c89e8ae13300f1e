package io.fhirstream.store.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.WriteConcern;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigKey;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.store.DocumentStoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MongoStoreConfigTest {
  private static final String PASSWORD = "s3cr3t-P4ss";
  private static final String WITH_PASSWORD =
      "mongodb://fhir:" + PASSWORD + "@db1.example.net:27017,db2.example.net/?authSource=admin";

  @TempDir Path directory;

  private static MongoStoreConfig parse(Map<String, String> raw) {
    return MongoStoreConfig.from(MongoStoreConfig.DEFINITION.parse(raw));
  }

  private static Map<String, String> with(String... keysAndValues) {
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      raw.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return raw;
  }

  @Test
  void foundByNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(DocumentStoreFactory.class))
        .filteredOn(factory -> factory.name().equals("mongodb"))
        .singleElement()
        .isInstanceOf(MongoStoreFactory.class);
  }

  @Test
  void everyKeyIsUnderTheStorePrefixAndTheConnectionStringIsASecret() {
    assertThat(new MongoStoreFactory().configDefinition().keys())
        .allMatch(key -> key.name().startsWith("store.mongodb."))
        .extracting(ConfigKey::name)
        .containsExactly(
            "store.mongodb.connection-string",
            "store.mongodb.connection-string-file",
            "store.mongodb.database",
            "store.mongodb.batch-size",
            "store.mongodb.write-concern",
            "store.mongodb.journal",
            "store.mongodb.server-selection-timeout",
            "store.mongodb.connect-timeout",
            "store.mongodb.read-timeout");
    assertThat(MongoStoreConfig.DEFINITION.keys())
        .filteredOn(key -> key.name().equals(MongoStoreConfig.CONNECTION_STRING))
        .singleElement()
        .extracting(ConfigKey::type)
        .isEqualTo(ConfigType.PASSWORD);
  }

  @Test
  void defaultsAreMajorityJournaledBatchesOfAThousand() {
    MongoStoreConfig config = parse(with(MongoStoreConfig.CONNECTION_STRING, WITH_PASSWORD));

    assertThat(config.database()).isEqualTo("fhirstream");
    assertThat(config.batchSize()).isEqualTo(1000);
    assertThat(config.writeConcern()).isEqualTo(WriteConcern.MAJORITY.withJournal(true));
    assertThat(config.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void settingsAreRead() {
    MongoStoreConfig config =
        parse(
            with(
                MongoStoreConfig.CONNECTION_STRING, WITH_PASSWORD,
                MongoStoreConfig.DATABASE, "fhir_r4",
                MongoStoreConfig.BATCH_SIZE, "250",
                MongoStoreConfig.WRITE_CONCERN, "2",
                MongoStoreConfig.JOURNAL, "false",
                MongoStoreConfig.READ_TIMEOUT, "30s"));

    assertThat(config.database()).isEqualTo("fhir_r4");
    assertThat(config.batchSize()).isEqualTo(250);
    assertThat(config.writeConcern()).isEqualTo(new WriteConcern(2).withJournal(false));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void connectionStringIsRequiredAndTheMessageSaysHow() {
    assertThatThrownBy(() -> parse(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(MongoStoreConfig.CONNECTION_STRING)
        .hasMessageContaining(MongoStoreConfig.CONNECTION_STRING_FILE)
        .hasMessageContaining("mongodb://");
  }

  @Test
  void connectionStringFromAFile() throws Exception {
    Path file = directory.resolve("mongo-uri");
    Files.writeString(file, WITH_PASSWORD + "\n");

    MongoStoreConfig config = parse(with(MongoStoreConfig.CONNECTION_STRING_FILE, file.toString()));

    assertThat(config.connectionString().value()).isEqualTo(WITH_PASSWORD);
    assertThatThrownBy(
            () ->
                parse(
                    with(
                        MongoStoreConfig.CONNECTION_STRING_FILE,
                        directory.resolve("missing").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(MongoStoreConfig.CONNECTION_STRING_FILE)
        .hasMessageContaining("missing");
    assertThatThrownBy(
            () ->
                parse(
                    with(
                        MongoStoreConfig.CONNECTION_STRING,
                        WITH_PASSWORD,
                        MongoStoreConfig.CONNECTION_STRING_FILE,
                        file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("only one");
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    Map<String, String> bad =
        Map.of(
            MongoStoreConfig.DATABASE, "fhir.data",
            MongoStoreConfig.BATCH_SIZE, "0",
            MongoStoreConfig.WRITE_CONCERN, "0",
            MongoStoreConfig.SERVER_SELECTION_TIMEOUT, "0s",
            MongoStoreConfig.CONNECT_TIMEOUT, "soon");
    bad.forEach(
        (key, value) ->
            assertThatThrownBy(
                    () ->
                        parse(with(MongoStoreConfig.CONNECTION_STRING, WITH_PASSWORD, key, value)))
                .as(key)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key));
    assertThatThrownBy(
            () ->
                parse(
                    with(
                        MongoStoreConfig.CONNECTION_STRING,
                        WITH_PASSWORD,
                        MongoStoreConfig.WRITE_CONCERN,
                        "0")))
        .hasMessageContaining("durable");
  }

  @Test
  void secretsNeverShowInMessagesOrToString() {
    String[] malformed = {
      "mongodb://fhir:" + PASSWORD + "@",
      "mongodb://fhir:" + PASSWORD + "@host:notaport/",
      "mongodb://fhir:" + PASSWORD + "@host/?authMechanism=NOPE",
      "postgres://fhir:" + PASSWORD + "@host/",
      "fhir:" + PASSWORD + "@host",
      "mongodb://fhir:"
          + PASSWORD
          + "@host/?authMechanism=MONGODB-AWS&authMechanismProperties="
          + "AWS_SESSION_TOKEN:"
          + PASSWORD
          + "&foo=bar%",
    };
    for (String text : malformed) {
      assertThatThrownBy(() -> parse(with(MongoStoreConfig.CONNECTION_STRING, text)))
          .as(text)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(MongoStoreConfig.CONNECTION_STRING)
          .message()
          .doesNotContain(PASSWORD);
    }
    MongoStoreConfig config = parse(with(MongoStoreConfig.CONNECTION_STRING, WITH_PASSWORD));
    assertThat(config.toString()).doesNotContain(PASSWORD).contains("[hidden]");
    assertThat(
            MongoStoreConfig.DEFINITION
                .parse(with(MongoStoreConfig.CONNECTION_STRING, WITH_PASSWORD))
                .toString())
        .doesNotContain(PASSWORD);
  }

  @Test
  void redactionHidesUserInformationAndCredentialOptions() {
    String awsToken = "IQoJb3JpZ2luX2VjEJr%2F";
    ConnectionStringRedaction redaction =
        ConnectionStringRedaction.of(
            "mongodb://user%40corp:p%40ss:word@h1,h2/db?authMechanismProperties="
                + "AWS_SESSION_TOKEN:"
                + awsToken);

    assertThat(redaction.apply("x p%40ss:word y p@ss:word z user@corp " + awsToken))
        .doesNotContain("p%40ss", "p@ss", "user@corp", "IQoJb3JpZ2luX2VjEJr")
        .contains("x [hidden] y [hidden] z [hidden]");
    assertThat(redaction.apply(null)).isEmpty();
  }
}
