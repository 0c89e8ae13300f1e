package io.fhirstream.source.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.RetriableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BundleReaderTest {

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = BundleReaderTest.class.getResourceAsStream("/bundles/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void slicesEachResourceExactlyAsReceived() throws IOException {
    byte[] page = fixture("history-page.json");
    BundlePage read = BundleReader.read(page, "Patient");

    ChangeEvent first = read.events().get(0);
    String text = new String(page, StandardCharsets.UTF_8);
    int start =
        text.indexOf("{\"resourceType\":\"Patient\",\"id\":\"7\",\"meta\":{\"versionId\":\"3\"");
    int end = text.indexOf("\"active\" : true}") + "\"active\" : true}".length();
    byte[] expected = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
    assertThat(first.body()).isEqualTo(expected);
    assertThat(first.id()).isEqualTo("7");
    assertThat(first.versionId()).isEqualTo("3");
    assertThat(first.lastUpdated()).isEqualTo(Instant.parse("2026-11-20T10:00:03Z"));
  }

  @Test
  void deleteEntryWithoutResourceBecomesDeletionWithVersionAndTime() throws IOException {
    BundlePage read = BundleReader.read(fixture("history-page.json"), "Patient");

    ChangeEvent deletion = read.events().get(1);
    assertThat(deletion.deleted()).isTrue();
    assertThat(deletion.id()).isEqualTo("5");
    assertThat(deletion.versionId()).isEqualTo("2");
    assertThat(deletion.lastUpdated()).isEqualTo(Instant.parse("2026-11-20T10:00:02Z"));
  }

  @Test
  void readsNextLinkAndSkipsOtherResourceTypes() throws IOException {
    BundlePage read = BundleReader.read(fixture("history-page.json"), "Patient");

    assertThat(read.next())
        .hasToString("http://127.0.0.1:8080/fhir?_getpages=abc&_getpagesoffset=3&_count=3");
    assertThat(read.events()).hasSize(3);
    assertThat(read.skipped()).isEqualTo(1);
  }

  @Test
  void truncatedPageIsRetriableNotHalfUsed() throws IOException {
    byte[] page = fixture("history-page.json");
    byte[] truncated = Arrays.copyOf(page, page.length / 2);

    assertThatThrownBy(() -> BundleReader.read(truncated, "Patient"))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("not a valid Bundle");
  }

  @Test
  void deletionVersionFallsBackToEtag() {
    String page =
        "{\"resourceType\":\"Bundle\",\"entry\":[{\"request\":{\"method\":\"DELETE\","
            + "\"url\":\"Patient/9\"},\"response\":{\"etag\":\"W/\\\"4\\\"\","
            + "\"lastModified\":\"2026-01-01T00:00:00Z\"}}]}";
    ChangeEvent deletion =
        BundleReader.read(page.getBytes(StandardCharsets.UTF_8), "Patient").events().get(0);
    assertThat(deletion.id()).isEqualTo("9");
    assertThat(deletion.versionId()).isEqualTo("4");
  }

  @Test
  void aSystemHistoryPageYieldsEveryWantedTypeDeletionsIncluded() {
    String page =
        "{\"resourceType\":\"Bundle\",\"entry\":["
            + "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o1\","
            + "\"meta\":{\"versionId\":\"2\",\"lastUpdated\":\"2026-01-01T00:00:02Z\"}}},"
            + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Encounter/e1/_history/3\"},"
            + "\"response\":{\"lastModified\":\"2026-01-01T00:00:01Z\"}},"
            + "{\"resource\":{\"resourceType\":\"Subscription\",\"id\":\"s1\"}},"
            + "{\"request\":{\"method\":\"DELETE\",\"url\":\"SearchParameter/x/_history/2\"}}"
            + "]}";
    BundlePage read =
        BundleReader.read(
            page.getBytes(StandardCharsets.UTF_8), java.util.Set.of("Observation", "Encounter"));

    assertThat(read.events())
        .extracting(e -> e.resourceType() + "/" + e.id() + "/" + e.versionId() + "/" + e.deleted())
        .containsExactly("Observation/o1/2/false", "Encounter/e1/3/true");
    assertThat(read.skipped()).isEqualTo(2);
  }

  @Test
  void typeOfADeletionComesFromItsUrl() {
    assertThat(BundleReader.typeOf("Encounter/e1/_history/3", null)).isEqualTo("Encounter");
    assertThat(BundleReader.typeOf(null, "http://x/fhir/Patient/7")).isEqualTo("Patient");
    assertThat(BundleReader.typeOf("http://x/fhir/Patient/a/_history/2", null))
        .isEqualTo("Patient");
    assertThat(BundleReader.typeOf("urn:uuid:123", null)).isNull();
  }

  @Test
  void totalIsReadFromACountBundleAndMissingIsMinusOne() {
    byte[] count =
        "{\"resourceType\":\"Bundle\",\"meta\":{\"tag\":[]},\"type\":\"searchset\",\"total\":2942}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(BundleReader.total(count)).isEqualTo(2942);
    assertThat(BundleReader.total("{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
    assertThat(BundleReader.total("not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
  }

  @Test
  void referenceParsesTypeIdAndVersion() {
    assertThat(BundleReader.reference("http://x/fhir/Patient/a.b-1/_history/12", "Patient"))
        .containsExactly("a.b-1", "12");
    assertThat(BundleReader.reference("Patient/7", "Patient")).containsExactly("7", null);
    assertThat(BundleReader.reference("Observation/7", "Patient")).isNull();
  }
}
