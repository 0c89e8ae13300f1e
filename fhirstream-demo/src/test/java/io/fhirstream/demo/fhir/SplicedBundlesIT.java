package io.fhirstream.demo.fhir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.source.capture.BundleReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spliced history and search pages over HTTP against HAPI's encoding of the same snapshot (the
 * splicer switched off), and the resources in them against the store, byte for byte.
 *
 * <p>The clock stands still while pages are read, so a first page asked for twice names the same
 * snapshot both times (its cursor and {@code meta.lastUpdated} come from the clock).
 */
class SplicedBundlesIT {
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
  private static final SteppingClock clock = new SteppingClock(T0);
  private static final HttpClient http = HttpClient.newHttpClient();

  private static DemoFhirServer server;
  private static BundleSplicer splicer;

  /** 60 patients; every 4th updated, every 7th deleted, Patient/7 created again. */
  @BeforeAll
  static void writeAndStart() {
    server = DemoFhirServer.builder().resourceTypes("Patient").clock(clock).build();
    splicer = server.bundleSplicer();
    ResourceStore store = server.store();
    SyntheticPatients generator = new SyntheticPatients(5);
    for (int i = 1; i <= 60; i++) {
      store.create(generator.next());
      clock.advanceMillis(i % 2); // half the writes share a millisecond with the one before
    }
    for (int i = 4; i <= 60; i += 4) {
      Patient current = (Patient) store.codec().decode(store.latest("Patient", "" + i).get());
      store.update(generator.mutate(current));
      clock.advanceMillis(1);
    }
    for (int i = 7; i <= 60; i += 7) {
      store.delete("Patient", "" + i);
      clock.advanceMillis(1);
    }
    Patient again = generator.next();
    again.setId("7");
    store.update(again);
    clock.advanceMillis(1);
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyHistoryPageMatchesHapisEncodingOfTheSameSnapshot() throws Exception {
    List<JsonNode> pages = compareCrawl("/Patient/_history?_count=7");

    assertThat(pages).hasSize(84 / 7); // 60 creates, 15 updates, 8 deletions, 1 re-create
    assertThat(entries(pages)).filteredOn(e -> !e.has("resource")).hasSize(8);
    assertThat(compareCrawl("/Patient/_history?_count=25&_pretty=true")).hasSize(4);
    assertThat(compareCrawl("/Patient/_history?_count=10&_since=" + T0.plusMillis(20)))
        .isNotEmpty();
  }

  @Test
  void everySearchPageMatchesHapisEncodingOfTheSameSnapshot() throws Exception {
    String from = T0.plusMillis(10).toString();
    List<JsonNode> pages = compareCrawl("/Patient?_lastUpdated=ge" + from + "&_sort=_lastUpdated");

    assertThat(entries(pages)).hasSizeGreaterThan(20).allMatch(e -> e.has("search"));
    assertThat(
            compareCrawl(
                "/Patient?_sort=-_lastUpdated&_count=9&_format=json&_lastUpdated=ge" + from))
        .hasSizeGreaterThan(2);
  }

  @Test
  void aConsumerSlicesEachStoredVersionOutByteForByte() throws Exception {
    List<ChangeEvent> history = readEvents("/Patient/_history?_count=8");
    List<ChangeEvent> search = readEvents("/Patient?_lastUpdated=ge2000-01-01&_sort=_lastUpdated");

    assertThat(history).hasSize(60 + 15 + 8 + 1);
    assertThat(search).hasSize(60 - 8 + 1);
    Set<String> versions = new HashSet<>();
    for (ChangeEvent event : concat(history, search)) {
      versions.add(event.versionedReference());
      ResourceVersion stored =
          server
              .store()
              .version("Patient", event.id(), Long.parseLong(event.versionId()))
              .orElseThrow();
      assertThat(event.deleted()).isEqualTo(stored.deleted());
      if (!event.deleted()) {
        assertThat(event.body())
            .as("body of %s", event.versionedReference())
            .isEqualTo(stored.json().orElseThrow().getBytes(UTF_8));
      }
    }
    assertThat(versions).hasSize(60 + 15 + 8 + 1);
  }

  @Test
  void requestsTheSplicerLeavesAloneGetHapisEncodingOfDecodedResources() throws Exception {
    long splicedBefore = splicer.splicedResponses();

    byte[] xmlPage = get("/Patient/_history?_count=30&_format=xml").body();
    Bundle xml = (Bundle) FHIR.newXmlParser().parseResource(new String(xmlPage, UTF_8));
    JsonNode byId = JsonTrees.parse(get("/Patient?_id=4,8").body());
    JsonNode byIdPage2 =
        JsonTrees.parse(
            get(nextLink(JsonTrees.parse(get("/Patient?_id=1,2,3&_count=2").body()))).body());
    JsonNode instance = JsonTrees.parse(get("/Patient/7/_history").body());
    JsonNode elements = JsonTrees.parse(get("/Patient/_history?_count=5&_elements=name").body());

    assertThat(splicer.splicedResponses()).isEqualTo(splicedBefore);
    for (BundleEntryComponent entry : xml.getEntry()) {
      if (entry.hasResource()) {
        String json = FHIR.newJsonParser().encodeResourceToString(entry.getResource());
        assertStored(JsonTrees.parse(json.getBytes(UTF_8)));
      }
    }
    assertThat(byId.get("entry")).hasSize(2);
    assertThat(instance.get("entry")).hasSize(3);
    assertThat(byIdPage2.get("entry")).hasSize(1);
    for (JsonNode entry : entries(List.of(byId, byIdPage2, instance))) {
      if (entry.has("resource")) {
        assertStored(entry.get("resource"));
      }
    }
    assertThat(entries(List.of(elements)))
        .filteredOn(e -> e.has("resource"))
        .isNotEmpty()
        .allMatch(e -> e.get("resource").has("name") && !e.get("resource").has("telecom"));
  }

  /**
   * Follows {@code next} from {@code path}, reading each page once spliced and once encoded by
   * HAPI; returns the spliced pages.
   */
  private static List<JsonNode> compareCrawl(String path) throws Exception {
    List<JsonNode> pages = new ArrayList<>();
    String url = server.baseUrl() + path;
    while (url != null) {
      long splicedBefore = splicer.splicedResponses();
      HttpResponse<byte[]> spliced = get(url);
      HttpResponse<byte[]> hapi;
      splicer.setEnabled(false);
      try {
        hapi = get(url);
      } finally {
        splicer.setEnabled(true);
      }

      assertThat(splicer.splicedResponses()).isEqualTo(splicedBefore + 1);
      for (String header : List.of("Content-Type", "Content-Location", "Last-Modified")) {
        assertThat(spliced.headers().allValues(header))
            .as("%s of %s", header, url)
            .isEqualTo(hapi.headers().allValues(header));
      }
      JsonNode page = JsonTrees.parse(spliced.body());
      assertThat(JsonTrees.firstDifference(JsonTrees.parse(hapi.body()), page))
          .as("first difference from HAPI's page %s", url)
          .isNull();
      pages.add(page);
      url = nextLink(page);
    }
    return pages;
  }

  private static List<ChangeEvent> readEvents(String path) throws Exception {
    List<ChangeEvent> events = new ArrayList<>();
    URI url = URI.create(server.baseUrl() + path);
    while (url != null) {
      var page = BundleReader.read(get(url.toString()).body(), "Patient");
      events.addAll(page.events());
      url = page.next();
    }
    return events;
  }

  private static void assertStored(JsonNode resource) {
    String id = resource.get("id").asText();
    long version = resource.get("meta").get("versionId").asLong();
    String stored = server.store().version("Patient", id, version).orElseThrow().json().get();
    assertThat(JsonTrees.firstDifference(JsonTrees.parse(stored.getBytes(UTF_8)), resource))
        .as("Patient/%s/_history/%d against the store", id, version)
        .isNull();
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    String absolute = url.startsWith("http") ? url : server.baseUrl() + url;
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(absolute)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("status of %s", absolute).isEqualTo(200);
    return response;
  }

  private static String nextLink(JsonNode page) {
    for (JsonNode link : page.path("link")) {
      if (link.get("relation").asText().equals("next")) {
        return link.get("url").asText();
      }
    }
    return null;
  }

  private static List<JsonNode> entries(List<JsonNode> pages) {
    List<JsonNode> entries = new ArrayList<>();
    pages.forEach(page -> page.path("entry").forEach(entries::add));
    return entries;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
