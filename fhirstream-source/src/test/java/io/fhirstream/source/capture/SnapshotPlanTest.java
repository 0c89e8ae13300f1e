package io.fhirstream.source.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The windows of a parallel snapshot: they cover the range, split when idle, and resume. */
class SnapshotPlanTest {
  private static final Instant OLDEST = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant BEFORE = OLDEST.plusSeconds(100);

  @Test
  void windowsCoverTheRangeWithoutGapsOrOverlaps() {
    SnapshotPlan plan = SnapshotPlan.split(OLDEST.plusNanos(123_456), BEFORE, 7);
    List<SnapshotPlan.Window> windows = claimAll(plan);

    assertThat(windows).hasSize(7);
    assertThat(plan.readFrom(windows.get(0))).isEqualTo(OLDEST.plusMillis(0));
    for (int i = 1; i < windows.size(); i++) {
      assertThat(plan.readFrom(windows.get(i))).isEqualTo(plan.end(windows.get(i - 1)));
    }
    assertThat(plan.end(windows.get(6))).isEqualTo(BEFORE);
  }

  @Test
  void anIdleReaderTakesTheLaterHalfOfTheWidestWindowLeft() {
    SnapshotPlan plan = SnapshotPlan.split(OLDEST, BEFORE, 2);
    SnapshotPlan.Window first = plan.claim();
    SnapshotPlan.Window second = plan.claim();
    plan.advanced(first, OLDEST.plusSeconds(40)); // 10 s left; the second has 50 s left

    SnapshotPlan.Window stolen = plan.claim();

    assertThat(plan.readFrom(stolen)).isEqualTo(OLDEST.plusSeconds(75));
    assertThat(plan.end(stolen)).isEqualTo(BEFORE);
    assertThat(plan.end(second)).isEqualTo(OLDEST.plusSeconds(75));
    assertThat(plan.end(first)).isEqualTo(OLDEST.plusSeconds(50));
  }

  @Test
  void aWindowWithAFewPagesLeftIsNotSplit() {
    SnapshotPlan plan = SnapshotPlan.split(OLDEST, BEFORE, 1);
    SnapshotPlan.Window only = plan.claim();
    plan.advanced(only, OLDEST.plusSeconds(30)); // first page: 30 s
    plan.advanced(only, OLDEST.plusSeconds(60)); // 40 s left, under three pages of 30 s

    assertThat(plan.claim()).isNull();
  }

  @Test
  void windowsTooNarrowToSplitAreLeftToTheirReader() {
    SnapshotPlan plan = SnapshotPlan.split(OLDEST, OLDEST.plusMillis(1), 1);
    assertThat(plan.claim()).isNotNull();
    assertThat(plan.claim()).isNull();
  }

  @Test
  void savedProgressResumesOnlyWhatIsLeft() {
    SnapshotPlan plan = SnapshotPlan.split(OLDEST, BEFORE, 4);
    List<SnapshotPlan.Window> windows = claimAll(plan);
    plan.finished(windows.get(0));
    plan.advanced(windows.get(2), OLDEST.plusSeconds(60));

    SnapshotPlan resumed = SnapshotPlan.parse(plan.save());

    assertThat(resumed.before).isEqualTo(BEFORE);
    List<SnapshotPlan.Window> left = claimAll(resumed);
    assertThat(left).hasSize(3);
    assertThat(left)
        .extracting(resumed::readFrom)
        .containsExactly(OLDEST.plusSeconds(25), OLDEST.plusSeconds(60), OLDEST.plusSeconds(75));
    assertThat(resumed.save()).isEqualTo(plan.save());
  }

  @Test
  void aFinishedPlanIsComplete() {
    SnapshotPlan plan = SnapshotPlan.split(OLDEST, BEFORE, 2);
    claimAll(plan).forEach(plan::finished);
    assertThat(plan.complete()).isTrue();
    assertThat(SnapshotPlan.parse(plan.save()).complete()).isTrue();
  }

  @Test
  void progressOfAnotherFormatIsNotAPlan() {
    assertThat(SnapshotPlan.parse("2026-11-20T10:00:00Z")).isNull();
  }

  /** Claims the planned windows without splitting any. */
  private static List<SnapshotPlan.Window> claimAll(SnapshotPlan plan) {
    List<SnapshotPlan.Window> windows = new ArrayList<>();
    int count = plan.windowsLeft();
    for (int i = 0; i < count; i++) {
      windows.add(plan.claim());
    }
    return windows;
  }
}
