package io.fhirstream.source.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SearchPagingTest {
  private static final URI HAPI =
      URI.create(
          "http://h/fhir?_getpages=0a04&_getpagesoffset=500&_count=500&_bundletype=searchset");
  private static final URI OFFSET = URI.create("http://h/fhir/Patient?_count=500&_offset=500");

  @Test
  void autoFollowsLinksOnlyWhereTheyPageOverAKeptResultList() {
    assertThat(SearchPaging.AUTO.follows(HAPI)).isTrue();
    assertThat(SearchPaging.AUTO.follows(OFFSET)).isFalse();
    assertThat(SearchPaging.AUTO.follows(URI.create("http://h/fhir/next"))).isFalse();
  }

  @Test
  void serverAndKeysetAreWhatTheySay() {
    assertThat(SearchPaging.SERVER.follows(OFFSET)).isTrue();
    assertThat(SearchPaging.KEYSET.follows(HAPI)).isFalse();
  }
}
