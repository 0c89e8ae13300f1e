package io.fhirstream.fault.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestMatcherTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/fhir/_history",
        "/fhir/Patient/_history",
        "/fhir/Patient/123/_history",
        "/fhir/Patient/123/_history/2",
        "/fhir/Patient/_history/"
      })
  void historyAtEveryLevelIsFaultable(String path) {
    assertThat(RequestMatcher.classify("/fhir", "GET", path, "_since=2024-01-01T00:00:00Z"))
        .isEqualTo(RequestKind.HISTORY);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "/fhir/Patient, _lastUpdated=gt2024-01-01&_sort=_lastUpdated",
        "/fhir/Patient, null",
        "/fhir/Patient/, _id=1,2",
        "/fhir/Patient/_search, _id=1",
        "/fhir/MedicationRequest, _count=10"
      })
  void searchOfAResourceTypeIsFaultable(String path, String query) {
    assertThat(RequestMatcher.classify("/fhir", "GET", path, query)).isEqualTo(RequestKind.SEARCH);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "_getpages=abc&_getpagesoffset=100&_count=100&_bundletype=history",
        "_count=5&_getpages=abc",
        "_getpages"
      })
  void getpagesLinkIsPaging(String query) {
    assertThat(RequestMatcher.classify("/fhir", "GET", "/fhir", query))
        .isEqualTo(RequestKind.PAGING);
    assertThat(RequestMatcher.classify("/fhir", "GET", "/fhir/", query))
        .isEqualTo(RequestKind.PAGING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
  void writesAndOtherMethodsPassThrough(String method) {
    assertThat(RequestMatcher.classify("/fhir", method, "/fhir/Patient", null))
        .isEqualTo(RequestKind.PASS_THROUGH);
    assertThat(RequestMatcher.classify("/fhir", method, "/fhir/Patient/1", null))
        .isEqualTo(RequestKind.PASS_THROUGH);
    assertThat(RequestMatcher.classify("/fhir", method, "/fhir/Patient/_history", null))
        .isEqualTo(RequestKind.PASS_THROUGH);
    assertThat(RequestMatcher.classify("/fhir", method, "/fhir", "_getpages=abc"))
        .isEqualTo(RequestKind.PASS_THROUGH);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "/fhir/metadata, null",
        "/fhir/metadata, _format=json",
        "/fhir/Patient/123, null",
        "/fhir/Patient/Abc, null", // an id that looks like a type is still a read
        "/fhir/Patient/$everything, null",
        "/fhir/$export, _type=Patient",
        "/fhir, null",
        "/fhir, _getpagesoffset=10",
        "/fhir, _type=Patient",
        "/other/Patient, null",
        "/fhirx/Patient, null",
        "/, _getpages=abc"
      })
  void readsMetadataAndOperationsPassThrough(String path, String query) {
    assertThat(RequestMatcher.classify("/fhir", "GET", path, query))
        .isEqualTo(RequestKind.PASS_THROUGH);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "/Patient, null, SEARCH",
        "/Patient/_history, null, HISTORY",
        "/, _getpages=abc, PAGING",
        "'', _getpages=abc, PAGING",
        "/metadata, null, PASS_THROUGH",
        "/Patient/1, null, PASS_THROUGH"
      })
  void serverAtTheRootIsMatchedToo(String path, String query, RequestKind expected) {
    assertThat(RequestMatcher.classify("", "GET", path, query)).isEqualTo(expected);
    assertThat(RequestMatcher.classify("/", "GET", path, query)).isEqualTo(expected);
  }
}
