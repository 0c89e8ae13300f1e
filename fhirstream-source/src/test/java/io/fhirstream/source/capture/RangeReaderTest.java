package io.fhirstream.source.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.ChangeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One range of a snapshot: every version handed over once, however the server pages. */
class RangeReaderTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant LIMIT = T0.plusSeconds(3600);
  private static final int PAGE = 50;

  /** Five transactions of 70 resources each, every transaction at a timestamp of its own. */
  private static FakeSearchServer transactions(boolean keepsResultLists) {
    FakeSearchServer server = new FakeSearchServer(keepsResultLists);
    for (int t = 0; t < 5; t++) {
      server.transaction(t * 70, 70, T0.plusMillis(t * 10L));
    }
    return server;
  }

  private static List<String> readAll(RangeReader reader, Instant end) {
    List<String> handed = new ArrayList<>();
    reader.read(T0, () -> end, (events, progress) -> events.forEach(e -> handed.add(e.id())));
    return handed;
  }

  @Test
  void resourcesSharingATransactionsTimestampAreHandedOverOnceByKeyset() {
    FakeSearchServer server = transactions(false);
    RangeReader reader =
        new RangeReader(FakeSearchServer.target(PAGE), SearchPaging.KEYSET, server, LIMIT);

    List<String> handed = readAll(reader, LIMIT);

    assertThat(handed).hasSize(350).doesNotHaveDuplicates();
    assertThat(reader.handedOver()).isEqualTo(350);
    assertThat(reader.entriesRead()).as("keyset re-reads the shared timestamps").isGreaterThan(350);
  }

  @Test
  void followingLinksOverAKeptResultListReadsEachResourceOnce() {
    FakeSearchServer server = transactions(true);
    RangeReader reader =
        new RangeReader(FakeSearchServer.target(PAGE), SearchPaging.AUTO, server, LIMIT);

    List<String> handed = readAll(reader, LIMIT);

    assertThat(handed).hasSize(350).doesNotHaveDuplicates();
    assertThat(reader.entriesRead()).isEqualTo(350);
    assertThat(server.requests).isEqualTo(7);
  }

  @Test
  void autoPagingUsesKeysetWhereLinksRerunTheQueryAtAnOffset() {
    FakeSearchServer server = transactions(false);
    RangeReader reader =
        new RangeReader(FakeSearchServer.target(PAGE), SearchPaging.AUTO, server, LIMIT);

    List<String> handed = readAll(reader, LIMIT);

    assertThat(handed).hasSize(350).doesNotHaveDuplicates();
    assertThat(reader.entriesRead()).isGreaterThan(350);
  }

  @Test
  void aResourceUpdatedWhileTheListIsPagedIsLeftToHistoryAndReadingGoesOn() {
    FakeSearchServer server = transactions(true);
    RangeReader reader =
        new RangeReader(FakeSearchServer.target(PAGE), SearchPaging.AUTO, server, LIMIT);
    List<String> handed = new ArrayList<>();

    reader.read(
        T0,
        () -> LIMIT,
        (events, progress) -> {
          if (handed.isEmpty()) {
            server.write("p100", LIMIT.plusSeconds(1)); // on a later page of the kept list
          }
          events.forEach(e -> handed.add(e.id()));
        });

    assertThat(handed).hasSize(349).doesNotContain("p100").doesNotHaveDuplicates();
  }

  @Test
  void aReaderWhoseEndMovesEarlierStopsThereAndHandsNothingBeyondIt() {
    FakeSearchServer server = transactions(true);
    RangeReader reader =
        new RangeReader(FakeSearchServer.target(PAGE), SearchPaging.AUTO, server, LIMIT);
    AtomicReference<Instant> end = new AtomicReference<>(LIMIT);
    List<ChangeEvent> handed = new ArrayList<>();

    reader.read(
        T0,
        end::get,
        (events, progress) -> {
          handed.addAll(events);
          end.set(T0.plusMillis(20)); // another reader took the last three transactions
        });

    assertThat(handed).hasSize(140).allMatch(e -> e.lastUpdated().isBefore(T0.plusMillis(20)));
    assertThat(server.requests).as("stopped at the first page past the end").isEqualTo(3);
  }

  @Test
  void anExpiredLinkIsReplacedByAKeysetQueryWithoutDuplicates() {
    FakeSearchServer server = transactions(true);
    RangeReader reader =
        new RangeReader(FakeSearchServer.target(PAGE), SearchPaging.AUTO, server, LIMIT);
    List<String> handed = new ArrayList<>();

    reader.read(
        T0,
        () -> LIMIT,
        (events, progress) -> {
          events.forEach(e -> handed.add(e.id()));
          server.expireLinks = handed.size() == 100; // after the second page, once
        });

    assertThat(handed).hasSize(350).doesNotHaveDuplicates();
  }

  @Test
  void progressIsTheNewestTimestampHandedOver() {
    FakeSearchServer server = transactions(true);
    RangeReader reader =
        new RangeReader(FakeSearchServer.target(PAGE), SearchPaging.AUTO, server, LIMIT);
    List<Instant> progress = new ArrayList<>();

    reader.read(T0, () -> LIMIT, (events, at) -> progress.add(at));

    assertThat(progress).isSorted().endsWith(T0.plusMillis(40));
    assertThat(progress.get(0)).isEqualTo(T0);
  }
}
