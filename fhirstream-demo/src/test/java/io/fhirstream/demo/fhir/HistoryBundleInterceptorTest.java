package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryBundleInterceptorTest {
  @Test
  void anOffsetLinkBecomesAPagingLinkOnTheSnapshot() {
    String link =
        HistoryBundleInterceptor.snapshotLink(
            "http://127.0.0.1:8080/fhir",
            "h.0.0.2s.m1",
            "http://127.0.0.1:8080/fhir/Patient/_history?_count=50&_offset=100&_since=2025-01-01T00%3A00%3A00Z&_pretty=true");

    assertThat(link)
        .isEqualTo(
            "http://127.0.0.1:8080/fhir?_getpages=h.0.0.2s.m1&_getpagesoffset=100&_count=50&_pretty=true&_bundletype=history");
  }
}
