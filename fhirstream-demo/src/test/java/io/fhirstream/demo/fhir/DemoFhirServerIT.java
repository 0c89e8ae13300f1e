package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo server over real HTTP with HAPI's generic client: 250 patients created, some updated
 * twice, some deleted, one re-created; then history, search, read and metadata checked against what
 * the test itself wrote.
 */
class DemoFhirServerIT {
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static DemoFhirServer server;
  private static IGenericClient client;

  /** Every version the test wrote, "id/version" → true if it was a deletion, in write order. */
  private static final Map<String, Boolean> written = new LinkedHashMap<>();

  private static String recreatedId;
  private static String deletedId;

  @BeforeAll
  static void startAndWrite() throws Exception {
    server = DemoFhirServer.builder().resourceTypes("Patient", "Observation").build().start();
    client = FHIR.newRestfulGenericClient(server.baseUrl());
    SyntheticPatients generator = new SyntheticPatients(42);
    List<Patient> created = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      MethodOutcome outcome = client.create().resource(generator.next()).execute();
      Patient stored = (Patient) outcome.getResource();
      assertThat(outcome.getCreated()).isTrue();
      record(outcome.getId(), false);
      created.add(stored);
    }
    for (int i = 0; i < 250; i += 5) { // every 5th patient updated twice
      Patient current = created.get(i);
      for (int round = 0; round < 2; round++) {
        Patient changed = generator.mutate(current);
        MethodOutcome outcome = client.update().resource(changed).execute();
        record(outcome.getId(), false);
        current = (Patient) outcome.getResource();
      }
      created.set(i, current);
    }
    for (int i = 3; i < 250; i += 10) { // every 10th patient (from the 4th) deleted
      String id = created.get(i).getIdElement().getIdPart();
      client.delete().resourceById("Patient", id).execute();
      record(new IdType("Patient", id, Long.toString(versionsOf(id) + 1)), true);
      deletedId = id;
    }
    recreatedId = created.get(13).getIdElement().getIdPart();
    Patient again = generator.next();
    again.setId(recreatedId);
    MethodOutcome outcome = client.update().resource(again).execute();
    assertThat(outcome.getCreated()).isTrue();
    record(outcome.getId(), false);
  }

  private static void record(IIdType id, boolean deletion) {
    String key = id.getIdPart() + "/" + id.getVersionIdPart();
    assertThat(written.put(key, deletion)).as("version %s written twice", key).isNull();
  }

  private static long versionsOf(String id) {
    return written.keySet().stream().filter(k -> k.startsWith(id + "/")).count();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static List<BundleEntryComponent> crawl(Bundle first) {
    List<BundleEntryComponent> entries = new ArrayList<>(first.getEntry());
    Bundle page = first;
    Set<String> pageUrls = new HashSet<>();
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      assertThat(pageUrls.add(page.getLink(Bundle.LINK_NEXT).getUrl()))
          .as("next link repeats")
          .isTrue();
      page = client.loadPage().next(page).execute();
      entries.addAll(page.getEntry());
    }
    return entries;
  }

  private static String versionOf(BundleEntryComponent entry) {
    if (entry.getRequest().getMethod() == HTTPVerb.DELETE) {
      IdType id = new IdType(entry.getRequest().getUrl());
      return id.getIdPart() + "/" + id.getVersionIdPart();
    }
    return entry.getResource().getIdElement().getIdPart()
        + "/"
        + entry.getResource().getMeta().getVersionId();
  }

  private static Instant lastUpdatedOf(BundleEntryComponent entry) {
    return entry.getResponse().getLastModified().toInstant();
  }

  @Test
  void typeHistoryPagesEveryVersionExactlyOnceNewestFirst() {
    Bundle first =
        client.history().onType(Patient.class).returnBundle(Bundle.class).count(50).execute();
    List<BundleEntryComponent> entries = crawl(first);

    List<String> versions =
        entries.stream().map(DemoFhirServerIT::versionOf).collect(Collectors.toList());
    assertThat(versions)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(written.keySet());
    List<String> newestFirst = new ArrayList<>(written.keySet());
    java.util.Collections.reverse(newestFirst);
    assertThat(versions).containsExactlyElementsOf(newestFirst);
    List<Instant> times =
        entries.stream().map(DemoFhirServerIT::lastUpdatedOf).collect(Collectors.toList());
    assertThat(times)
        .doesNotHaveDuplicates()
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    for (BundleEntryComponent entry : entries) {
      boolean deletion = written.get(versionOf(entry));
      if (deletion) {
        assertThat(entry.getRequest().getMethod()).isEqualTo(HTTPVerb.DELETE);
        assertThat(entry.hasResource()).isFalse();
        assertThat(entry.getRequest().getUrl()).matches("Patient/[^/]+/_history/\\d+");
      } else {
        // Every version 1 here came from POST; later ones (updates, the re-create) from PUT.
        HTTPVerb expected = versionOf(entry).endsWith("/1") ? HTTPVerb.POST : HTTPVerb.PUT;
        assertThat(entry.getRequest().getMethod()).isEqualTo(expected);
        assertThat(entry.getResource().getMeta().getLastUpdated().toInstant())
            .isEqualTo(lastUpdatedOf(entry));
      }
    }
    assertThat(entries.stream().filter(e -> e.getRequest().getMethod() == HTTPVerb.DELETE).count())
        .isEqualTo(written.values().stream().filter(d -> d).count());
  }

  @Test
  void sinceSelectsVersionsAtOrAfterTheInstantInclusively() {
    List<BundleEntryComponent> all =
        crawl(
            client
                .history()
                .onType(Patient.class)
                .returnBundle(Bundle.class)
                .count(1000)
                .execute());
    BundleEntryComponent pivot = all.get(all.size() / 3);
    InstantType since =
        new InstantType(
            Date.from(lastUpdatedOf(pivot)),
            TemporalPrecisionEnum.MILLI,
            TimeZone.getTimeZone("UTC"));

    List<BundleEntryComponent> recent =
        crawl(
            client
                .history()
                .onType(Patient.class)
                .returnBundle(Bundle.class)
                .since(since)
                .count(50)
                .execute());

    List<String> expected =
        all.subList(0, all.size() / 3 + 1).stream()
            .map(DemoFhirServerIT::versionOf)
            .collect(Collectors.toList());
    assertThat(recent.stream().map(DemoFhirServerIT::versionOf))
        .containsExactlyElementsOf(expected);
    assertThat(versionOf(recent.get(recent.size() - 1))).isEqualTo(versionOf(pivot));
  }

  @Test
  void aDeletedEntryIsRenderedWithIdVersionAndTimeAndAnUpsertWithTheResource() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/Patient/_history?_count=1000"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode bundle = new ObjectMapper().readTree(response.body());
    ResourceVersion deletion = server.store().latest("Patient", deletedId).orElseThrow();

    JsonNode deleted = null;
    JsonNode upsert = null;
    for (JsonNode entry : bundle.get("entry")) {
      if (entry.path("request").path("url").asText().equals(deletion.versionedReference())) {
        deleted = entry;
      }
      if (upsert == null
          && entry.has("resource")
          && entry.path("request").path("method").asText().equals("PUT")) {
        upsert = entry;
      }
    }

    assertThat(deleted).isNotNull();
    assertThat(fieldNames(deleted)).containsExactly("fullUrl", "request", "response");
    assertThat(deleted.get("fullUrl").asText())
        .isEqualTo(server.baseUrl() + "/Patient/" + deletedId);
    assertThat(deleted.get("request").get("method").asText()).isEqualTo("DELETE");
    assertThat(fieldNames(deleted.get("response")))
        .containsExactly("status", "etag", "lastModified");
    assertThat(deleted.get("response").get("etag").asText())
        .isEqualTo("W/\"" + deletion.versionId() + "\"");
    assertThat(
            new InstantType(deleted.get("response").get("lastModified").asText())
                .getValue()
                .toInstant())
        .isEqualTo(deletion.lastUpdated());

    assertThat(upsert).isNotNull();
    assertThat(fieldNames(upsert)).containsExactly("fullUrl", "resource", "request", "response");
    JsonNode meta = upsert.get("resource").get("meta");
    String id = upsert.get("resource").get("id").asText();
    assertThat(upsert.get("request").get("url").asText())
        .isEqualTo("Patient/" + id + "/_history/" + meta.get("versionId").asText());
    assertThat(upsert.get("response").get("lastModified").asText())
        .isEqualTo(meta.get("lastUpdated").asText());
    // The resource in the bundle is exactly what the store says the server serves for that version.
    String stored =
        server
            .store()
            .version("Patient", id, meta.get("versionId").asLong())
            .orElseThrow()
            .json()
            .orElseThrow();
    assertThat(upsert.get("resource")).isEqualTo(new ObjectMapper().readTree(stored));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void lastUpdatedSearchReturnsCurrentVersionsOldestFirstAcrossPages() {
    List<BundleEntryComponent> history =
        crawl(
            client
                .history()
                .onType(Patient.class)
                .returnBundle(Bundle.class)
                .count(1000)
                .execute());
    Map<String, BundleEntryComponent> latest = new LinkedHashMap<>();
    for (BundleEntryComponent entry : history) { // newest first: the first seen is the latest
      latest.putIfAbsent(versionOf(entry).split("/")[0], entry);
    }
    Instant from = lastUpdatedOf(history.get(history.size() / 2));
    List<String> expected =
        latest.values().stream()
            .filter(
                e ->
                    e.getRequest().getMethod() != HTTPVerb.DELETE
                        && !lastUpdatedOf(e).isBefore(from))
            .sorted(java.util.Comparator.comparing(DemoFhirServerIT::lastUpdatedOf))
            .map(DemoFhirServerIT::versionOf)
            .collect(Collectors.toList());

    Bundle first =
        client
            .search()
            .byUrl("Patient?_lastUpdated=ge" + from + "&_sort=_lastUpdated&_count=20")
            .returnBundle(Bundle.class)
            .execute();
    List<BundleEntryComponent> found = crawl(first);

    assertThat(expected).hasSizeGreaterThan(40);
    assertThat(found.stream().map(DemoFhirServerIT::versionOf)).containsExactlyElementsOf(expected);
    Instant to = lastUpdatedOf(history.get(history.size() / 4));
    List<BundleEntryComponent> ranged =
        crawl(
            client
                .search()
                .byUrl(
                    "Patient?_lastUpdated=ge"
                        + from
                        + "&_lastUpdated=lt"
                        + to
                        + "&_sort=_lastUpdated&_count=20")
                .returnBundle(Bundle.class)
                .execute());
    assertThat(ranged).isNotEmpty();
    assertThat(ranged)
        .allSatisfy(
            e -> assertThat(e.getResource().getMeta().getLastUpdated().toInstant()).isBefore(to));
    assertThat(ranged.stream().map(e -> versionOf(e))).isSubsetOf(expected);
  }

  @Test
  void searchByIdFindsCurrentVersionsOnly() {
    Bundle found =
        client
            .search()
            .byUrl("Patient?_id=" + recreatedId + "," + deletedId + ",unknown")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry())
        .singleElement()
        .satisfies(
            e -> assertThat(versionOf(e)).isEqualTo(recreatedId + "/" + versionsOf(recreatedId)));
  }

  @Test
  void readOfADeletedResourceIsGoneAndOfAnUnknownOneNotFound() {
    assertThatThrownBy(() -> client.read().resource(Patient.class).withId(deletedId).execute())
        .isInstanceOf(ResourceGoneException.class);
    assertThatThrownBy(
            () -> client.read().resource(Patient.class).withId("does-not-exist").execute())
        .isInstanceOf(ResourceNotFoundException.class);
    Patient recreated = client.read().resource(Patient.class).withId(recreatedId).execute();
    assertThat(recreated.getMeta().getVersionId())
        .isEqualTo(Long.toString(versionsOf(recreatedId)));
    Patient first =
        client.read().resource(Patient.class).withIdAndVersion(recreatedId, "1").execute();
    assertThat(first.getMeta().getVersionId()).isEqualTo("1");
    assertThatThrownBy(
            () ->
                client.read().resource(Patient.class).withIdAndVersion(recreatedId, "2").execute())
        .isInstanceOf(ResourceGoneException.class);
  }

  @Test
  void capabilityStatementListsServedTypesWithTypeHistory() {
    CapabilityStatement statement =
        client.capabilities().ofType(CapabilityStatement.class).execute();

    assertThat(statement.getFhirVersion().toCode()).isEqualTo("4.0.1");
    Map<String, CapabilityStatementRestResourceComponent> resources =
        statement.getRestFirstRep().getResource().stream()
            .collect(Collectors.toMap(CapabilityStatementRestResourceComponent::getType, r -> r));
    assertThat(resources).containsKeys("Patient", "Observation");
    for (String type : List.of("Patient", "Observation")) {
      assertThat(resources.get(type).getInteraction().stream().map(i -> i.getCode()))
          .contains(
              TypeRestfulInteraction.HISTORYTYPE,
              TypeRestfulInteraction.READ,
              TypeRestfulInteraction.VREAD,
              TypeRestfulInteraction.SEARCHTYPE);
    }
  }

  @Test
  void historyPagesStayOnTheirSnapshotWhileWritesContinue() throws Exception {
    DemoFhirServer busy = DemoFhirServer.builder().resourceTypes("Patient").build();
    SyntheticPatients generator = new SyntheticPatients(7);
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ResourceVersion v = busy.store().create(generator.next());
      before.add(0, v.id() + "/" + v.versionId());
    }
    try (DemoFhirServer running = busy.start()) {
      IGenericClient busyClient = FHIR.newRestfulGenericClient(running.baseUrl());
      Bundle page =
          busyClient.history().onType(Patient.class).returnBundle(Bundle.class).count(25).execute();
      List<String> versions = new ArrayList<>();
      page.getEntry().forEach(e -> versions.add(versionOf(e)));
      int pageNumber = 0;
      while (page.getLink(Bundle.LINK_NEXT) != null) {
        // Between pages: a create, an update and a delete, all newer than the snapshot.
        busyClient.create().resource(generator.next()).execute();
        Patient update =
            generator.mutate(busyClient.read().resource(Patient.class).withId("1").execute());
        busyClient.update().resource(update).execute();
        busyClient.delete().resourceById("Patient", Integer.toString(300 - pageNumber++)).execute();
        page = busyClient.loadPage().next(page).execute();
        page.getEntry().forEach(e -> versions.add(versionOf(e)));
      }

      assertThat(pageNumber).isEqualTo(11);
      assertThat(running.store().countVersions("Patient")).isEqualTo(300 + 3 * 11);
      assertThat(versions).containsExactlyElementsOf(before);
    }
  }
}
