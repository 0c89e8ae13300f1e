package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.api.BundleLinks;
import ca.uhn.fhir.rest.api.IVersionSpecificBundleFactory;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.source.capture.BundleReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bundles built by HAPI's own R4 bundle factory around placeholders, written by the splicer and by
 * HAPI's encoder (placeholders decoded first): the two must not differ.
 */
class SplicedBundleJsonTest {
  private static final String BASE = "http://127.0.0.1:8080/fhir";

  private final SteppingClock clock = new SteppingClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final ResourceStore store =
      DemoFhirServer.builder().resourceTypes("Patient").clock(clock).build().store();
  private TypeStore patients;

  /**
   * Twelve patients, the last with a name beyond Latin-1; 1, 5 and 9 updated; 2 and 6 deleted; 2
   * created again with its id.
   */
  @BeforeEach
  void write() {
    patients = store.type("Patient");
    SyntheticPatients generator = new SyntheticPatients(11);
    for (int i = 0; i < 11; i++) {
      store.create(generator.next());
      clock.advanceMillis(i % 3); // some writes share a millisecond
    }
    Patient unicode = generator.next();
    unicode.getNameFirstRep().setFamily("Ñúñez-山田 \uD83D\uDE00").addGiven("Zoë");
    store.create(unicode);
    for (String id : List.of("1", "5", "9")) {
      Patient current = (Patient) store.codec().decode(store.latest("Patient", id).orElseThrow());
      store.update(generator.mutate(current));
    }
    store.delete("Patient", "2");
    store.delete("Patient", "6");
    clock.advanceMillis(1);
    Patient again = generator.next();
    again.setId("2");
    store.update(again);
  }

  @Test
  void aHistoryBundleWithDeletionsMatchesHapisEncoding() throws IOException {
    HistoryView history = HistoryView.since(patients, store.codec(), Long.MIN_VALUE, 0);
    Bundle bundle = bundleOf(history, BundleTypeEnum.HISTORY);
    new HistoryBundleInterceptor(store)
        .finishHistoryBundle(new SystemRequestDetails(), new ResponseDetails(bundle));

    assertThat(bundle.getEntry()).hasSize(18);
    assertThat(bundle.getEntry().stream().filter(e -> !e.hasResource())).hasSize(2);
    assertSameAsHapi(bundle);
  }

  @Test
  void aSearchBundleMatchesHapisEncoding() throws IOException {
    SearchView search =
        SearchView.byLastUpdated(
            patients, store.codec(), LastUpdatedRange.ALL, false, patients.log().size(), 0);
    Bundle bundle = bundleOf(search, BundleTypeEnum.SEARCHSET);

    assertThat(bundle.getEntry()).hasSize(11);
    assertSameAsHapi(bundle);
  }

  @Test
  void eachResourceIsTheStoredJsonByteForByte() throws IOException {
    HistoryView history = HistoryView.since(patients, store.codec(), Long.MIN_VALUE, 0);
    byte[] page = spliced(bundleOf(history, BundleTypeEnum.HISTORY), false);

    List<ChangeEvent> events = BundleReader.read(page, "Patient").events();

    assertThat(events).hasSize(18);
    for (ChangeEvent event : events) {
      ResourceVersion stored =
          store.version("Patient", event.id(), Long.parseLong(event.versionId())).orElseThrow();
      assertThat(event.deleted()).isEqualTo(stored.deleted());
      if (!stored.deleted()) {
        assertThat(event.body())
            .isEqualTo(stored.json().orElseThrow().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void onlyBundlesOfPlaceholdersAndDeletionsCanBeSpliced() {
    Bundle bundle =
        bundleOf(HistoryView.since(patients, store.codec(), 0, 0), BundleTypeEnum.HISTORY);
    assertThat(SplicedBundleJson.canWrite(bundle)).isTrue();

    bundle.getEntryFirstRep().setResource(new Patient().setActive(true));

    assertThat(SplicedBundleJson.canWrite(bundle)).isFalse();
  }

  /** What HAPI's server does with a page of a result: root properties, then the entries. */
  private Bundle bundleOf(IBundleProvider result, BundleTypeEnum type) {
    IVersionSpecificBundleFactory factory = store.codec().context().newBundleFactory();
    BundleLinks links = new BundleLinks(BASE, null, false, type);
    links.setSelf(BASE + "/Patient/_history");
    links.setNext(BASE + "?_getpages=" + result.getUuid() + "&_getpagesoffset=100");
    factory.addRootPropertiesToBundle(
        result.getUuid(), links, result.size(), result.getPublished());
    factory.addResourcesToBundle(result.getResources(0, 100), type, BASE, null, Set.of());
    return (Bundle) factory.getResourceBundle();
  }

  private void assertSameAsHapi(Bundle bundle) throws IOException {
    byte[] compact = spliced(bundle, false);
    byte[] pretty = spliced(bundle, true);
    for (BundleEntryComponent entry : bundle.getEntry()) {
      ResourceVersion version = JsonCodec.placeholderFor(entry.getResource());
      if (version != null) {
        entry.setResource(store.codec().decode(version));
      }
    }
    byte[] hapi =
        store
            .codec()
            .context()
            .newJsonParser()
            .encodeResourceToString(bundle)
            .getBytes(StandardCharsets.UTF_8);

    assertThat(JsonTrees.firstDifference(JsonTrees.parse(hapi), JsonTrees.parse(compact))).isNull();
    assertThat(JsonTrees.firstDifference(JsonTrees.parse(hapi), JsonTrees.parse(pretty))).isNull();
  }

  private static byte[] spliced(Bundle bundle, boolean pretty) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      if (pretty) {
        json.useDefaultPrettyPrinter();
      }
      SplicedBundleJson.write(bundle, json);
    }
    return out.toByteArray();
  }
}
