package io.fhirstream.source.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageAccessTest {
  private static final String SAS =
      "sv=2021-08-06&sr=c&sp=rl&se=2030-01-01&sig=c2VjcmV0LXNpZw%3D%3D";

  @Test
  void aSasIsAppendedToFilesOnTheStorageOriginOnly() {
    StorageAccess access =
        parse(
            Map.of(
                "source.export.storage.url", "https://acct.blob.core.windows.net",
                "source.export.storage.auth", "sas",
                "source.export.storage.sas", "?" + SAS));
    URI blob = URI.create("https://acct.blob.core.windows.net/export/job/0.ndjson");

    assertThat(access.serves(blob)).isTrue();
    assertThat(access.serves(URI.create("https://acct.blob.core.windows.net:443/x"))).isTrue();
    assertThat(access.serves(URI.create("https://other.blob.core.windows.net/export/0.ndjson")))
        .isFalse();
    assertThat(access.serves(URI.create("http://acct.blob.core.windows.net/export/0.ndjson")))
        .as("another scheme is another origin")
        .isFalse();
    assertThat(access.locate(blob)).hasToString(blob + "?" + SAS);
    assertThat(access.locate(URI.create(blob + "?timeout=30")))
        .hasToString(blob + "?timeout=30&" + SAS);
    assertThat(access.sendsToken()).isFalse();
    assertThat(access.toString()).doesNotContain("sig");
  }

  @Test
  void azureSendsATokenAndAppendsNothing() {
    StorageAccess access =
        parse(
            Map.of(
                "source.export.storage.url", "https://acct.blob.core.windows.net",
                "source.export.storage.auth", "azure"));
    URI blob = URI.create("https://acct.blob.core.windows.net/export/0.ndjson");

    assertThat(access.sendsToken()).isTrue();
    assertThat(access.locate(blob)).isEqualTo(blob);
  }

  @Test
  void settingsThatDoNotFitTogetherNameTheKey() {
    assertThatThrownBy(() -> parse(Map.of("source.export.storage.auth", "azure")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("source.export.storage.url");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.export.storage.url", "https://acct.blob.core.windows.net",
                        "source.export.storage.auth", "sas")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("source.export.storage.sas");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.export.storage.url",
                        "https://acct.blob.core.windows.net/export?" + SAS)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("has a query");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.export.storage.url", "https://acct.blob.core.windows.net",
                        "source.export.storage.auth", "sas",
                        "source.export.storage.sas", "not-a-signature")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sig=")
        .hasMessageNotContaining("not-a-signature");
  }

  @Test
  void withoutAStorageUrlThereIsNoStorage() {
    assertThat(parse(Map.of()).origin()).isEmpty();
  }

  private static StorageAccess parse(Map<String, String> raw) {
    Map<String, String> all = new HashMap<>(raw);
    return ExportConfig.from(ExportConfig.DEFINITION.parse(all)).storage();
  }
}
