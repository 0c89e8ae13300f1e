package io.fhirstream.source.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.source.events.FhirResourceEvent.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventPlanTest {
  private static final String ACCOUNT = "ws-fhir.fhir.azurehealthcareapis.com";
  private static final Set<String> TYPES = Set.of("Patient", "Observation");

  @Test
  void duplicatesAndOlderVersionsInABatchCollapseToTheNewest() {
    EventPlan plan =
        EventPlan.of(
            List.of(
                event(Kind.UPDATED, "Patient", "a", "3"),
                event(Kind.CREATED, "Patient", "a", "1"),
                event(Kind.UPDATED, "Patient", "a", "3"),
                event(Kind.UPDATED, "Patient", "a", "2"),
                event(Kind.CREATED, "Patient", "b", "1")),
            ACCOUNT,
            TYPES,
            new PublishedVersions(100));

    assertThat(plan.reads())
        .extracting(FhirResourceEvent::reference)
        .containsExactly("Patient/a/_history/3", "Patient/b/_history/1");
    assertThat(plan.dropped()).isEqualTo(3);
  }

  @Test
  void aDeletionAfterAnUpdateIsATombstoneAndNothingIsRead() {
    EventPlan plan =
        EventPlan.of(
            List.of(
                event(Kind.DELETED, "Observation", "o", "5"),
                event(Kind.UPDATED, "Observation", "o", "4")),
            ACCOUNT,
            TYPES,
            new PublishedVersions(100));

    assertThat(plan.reads()).isEmpty();
    assertThat(plan.deletions())
        .extracting(FhirResourceEvent::reference)
        .containsExactly("Observation/o/_history/5");
  }

  @Test
  void aVersionOlderThanOnePublishedIsDropped() {
    PublishedVersions published = new PublishedVersions(100);
    published.published(event(Kind.UPDATED, "Patient", "a", "7"));

    EventPlan plan =
        EventPlan.of(
            List.of(
                event(Kind.UPDATED, "Patient", "a", "6"), event(Kind.UPDATED, "Patient", "a", "7")),
            ACCOUNT,
            TYPES,
            published);

    assertThat(plan.reads()).isEmpty();
    assertThat(plan.dropped()).isEqualTo(2);
  }

  @Test
  void anotherAccountAndUncapturedTypesAreCountedNeverFetched() {
    EventPlan plan =
        EventPlan.of(
            List.of(
                new FhirResourceEvent(
                    Kind.CREATED,
                    "other-fhir.fhir.azurehealthcareapis.com",
                    "Patient",
                    "x",
                    "1",
                    null),
                event(Kind.CREATED, "Encounter", "e", "1"),
                new FhirResourceEvent(
                    Kind.CREATED, ACCOUNT.toUpperCase(), "Patient", "y", "1", null)),
            ACCOUNT,
            TYPES,
            new PublishedVersions(100));

    assertThat(plan.otherAccount()).isEqualTo(1);
    assertThat(plan.otherType()).isEqualTo(1);
    assertThat(plan.reads()).extracting(FhirResourceEvent::id).containsExactly("y");
  }

  @Test
  void theMemoryForgetsTheLeastRecentlyTouchedResourceFirst() {
    PublishedVersions published = new PublishedVersions(2);
    published.published(event(Kind.CREATED, "Patient", "a", "1"));
    published.published(event(Kind.CREATED, "Patient", "b", "1"));
    published.covers(event(Kind.CREATED, "Patient", "a", "1")); // touches a
    published.published(event(Kind.CREATED, "Patient", "c", "1"));

    assertThat(published.covers(event(Kind.CREATED, "Patient", "a", "1"))).isTrue();
    assertThat(published.covers(event(Kind.CREATED, "Patient", "b", "1"))).isFalse();
  }

  private static FhirResourceEvent event(Kind kind, String type, String id, String version) {
    return new FhirResourceEvent(
        kind,
        ACCOUNT,
        type,
        id,
        version,
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(Long.parseLong(version)));
  }
}
