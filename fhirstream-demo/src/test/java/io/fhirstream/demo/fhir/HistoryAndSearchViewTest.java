package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** History and search results over a store whose writes happen at known times, 10 ms apart. */
class HistoryAndSearchViewTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final SteppingClock clock = new SteppingClock(T0);
  private final ResourceStore store =
      DemoFhirServer.builder().resourceTypes("Patient").clock(clock).build().store();
  private TypeStore patients;

  /** t0 create 1, t10 create 2, t20 create 3, t30 update 1, t40 delete 2, t50 create 4. */
  @BeforeEach
  void writeSixVersions() {
    patients = store.type("Patient");
    write(() -> store.create(new Patient()));
    write(() -> store.create(new Patient()));
    write(() -> store.create(new Patient()));
    write(() -> store.update(withId("1")));
    write(() -> store.delete("Patient", "2"));
    write(() -> store.create(new Patient()));
  }

  private void write(Runnable write) {
    write.run();
    clock.advanceMillis(10);
  }

  private static Patient withId(String id) {
    Patient patient = new Patient();
    patient.setId(id);
    return patient;
  }

  private static List<String> versions(IBundleProvider result, int from, int to) {
    return result.getResources(from, to).stream()
        .map(r -> r.getIdElement().getIdPart() + "/" + r.getIdElement().getVersionIdPart())
        .collect(Collectors.toList());
  }

  private HistoryView historySince(long offsetMillis) {
    return HistoryView.since(patients, store.codec(), T0.toEpochMilli() + offsetMillis, 0);
  }

  @Test
  void historyIsNewestFirstAndSinceIsInclusive() {
    assertThat(versions(historySince(Long.MIN_VALUE / 2), 0, 100))
        .containsExactly("4/1", "2/2", "1/2", "3/1", "2/1", "1/1");
    assertThat(versions(historySince(30), 0, 100)).containsExactly("4/1", "2/2", "1/2");
    assertThat(versions(historySince(31), 0, 100)).containsExactly("4/1", "2/2");
    assertThat(historySince(51).size()).isZero();
  }

  @Test
  void historyPagesAreSlicesOfOneSnapshotUnaffectedByLaterWrites() {
    HistoryView view = historySince(0);
    List<String> firstPage = versions(view, 0, 2);
    store.create(new Patient());
    store.update(withId("3"));

    assertThat(firstPage).containsExactly("4/1", "2/2");
    assertThat(versions(view, 2, 4)).containsExactly("1/2", "3/1");
    assertThat(versions(view, 4, 6)).containsExactly("2/1", "1/1");
    assertThat(view.size()).isEqualTo(6);
    assertThat(versions(view.skipNewest(4), 0, 10)).containsExactly("2/1", "1/1");
  }

  @Test
  void historyEntriesCarryTheirInteractionAndDeletionsTheirMeta() {
    List<IBaseResource> entries = historySince(0).getResources(0, 6);
    Resource deletion = (Resource) entries.get(1);

    assertThat(entries.stream().map(ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD::get))
        .containsExactly(
            BundleEntryTransactionMethodEnum.POST,
            BundleEntryTransactionMethodEnum.DELETE,
            BundleEntryTransactionMethodEnum.PUT,
            BundleEntryTransactionMethodEnum.POST,
            BundleEntryTransactionMethodEnum.POST,
            BundleEntryTransactionMethodEnum.POST);
    assertThat(deletion.getIdElement().getValue()).isEqualTo("Patient/2/_history/2");
    assertThat(deletion.getMeta().getLastUpdated().toInstant()).isEqualTo(T0.plusMillis(40));
    assertThat(((Resource) entries.get(0)).getMeta().getVersionId()).isEqualTo("1");
  }

  @Test
  void aHistoryCursorRebuildsTheSameSnapshot() {
    HistoryView view = historySince(10);
    store.create(new Patient());

    IBundleProvider reopened = Cursor.reopen(view.cursor(), store.typeStores(), store.codec());

    assertThat(versions(reopened, 0, 100)).isEqualTo(versions(view, 0, 100)).hasSize(5);
    assertThat(Cursor.reopen("h.0.0.zzzz.1", store.typeStores(), store.codec())).isNull();
    assertThat(Cursor.reopen("x.1.2", store.typeStores(), store.codec())).isNull();
    assertThat(Cursor.reopen("h.9.0.1.1", store.typeStores(), store.codec())).isNull();
    assertThat(view.cursor()).matches("[A-Za-z0-9\\-.]{1,64}");
  }

  @Test
  void searchReturnsCurrentVersionsOldestFirstWithinTheRange() {
    int upper = patients.log().size();
    SearchView all =
        SearchView.byLastUpdated(patients, store.codec(), LastUpdatedRange.ALL, false, upper, 0);
    SearchView descending =
        SearchView.byLastUpdated(patients, store.codec(), LastUpdatedRange.ALL, true, upper, 0);
    LastUpdatedRange tenToForty =
        new LastUpdatedRange(T0.toEpochMilli() + 10, T0.toEpochMilli() + 40);
    SearchView ranged =
        SearchView.byLastUpdated(patients, store.codec(), tenToForty, false, upper, 0);

    assertThat(versions(all, 0, 100)).containsExactly("3/1", "1/2", "4/1");
    assertThat(versions(descending, 0, 100)).containsExactly("4/1", "1/2", "3/1");
    assertThat(versions(ranged, 0, 100)).containsExactly("3/1", "1/2");
  }

  @Test
  void searchPagesComeFromOneSnapshotAndTheCursorRebuildsIt() {
    SearchView view =
        SearchView.byLastUpdated(
            patients, store.codec(), LastUpdatedRange.ALL, false, patients.log().size(), 0);
    store.update(withId("3")); // 3 moves to the end, but not in this snapshot
    store.delete("Patient", "4");

    assertThat(versions(view, 0, 2)).containsExactly("3/1", "1/2");
    assertThat(versions(view, 2, 4)).containsExactly("4/1");
    IBundleProvider reopened = Cursor.reopen(view.getUuid(), store.typeStores(), store.codec());
    assertThat(versions(reopened, 0, 100)).containsExactly("3/1", "1/2", "4/1");
    assertThat(view.getUuid()).matches("[A-Za-z0-9\\-.]{1,64}");
  }

  @Test
  void searchByIdSkipsDeletedAndUnknownIds() {
    SearchView byIds =
        SearchView.byIds(
            patients, store.codec(), Set.of("1", "2", "4", "nope"), LastUpdatedRange.ALL, false, 0);

    assertThat(versions(byIds, 0, 100)).containsExactly("1/2", "4/1");
    assertThat(byIds.getUuid()).isNull();
  }
}
