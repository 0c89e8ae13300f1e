package io.fhirstream.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.analytics.aggregate.AggregateDefinition.Function;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupStateTest {
  private static final List<Function> ALL =
      List.of(
          Function.COUNT,
          Function.COUNT_DISTINCT,
          Function.SUM,
          Function.AVG,
          Function.MIN,
          Function.MAX);

  private static List<Object> row(String patient, String value) {
    BigDecimal number = value == null ? null : new BigDecimal(value).stripTrailingZeros();
    return Arrays.asList(Boolean.TRUE, patient, number, number, number, number);
  }

  @Test
  void removingWhatWasAddedGivesTheSameResultAsNeverAddingIt() {
    GroupState state = new GroupState(ALL, List.of("g"), null);
    state.add(row("p1", "60"));
    state.add(row("p2", "70.25"));
    state.add(row("p1", "90"));
    state.remove(row("p1", "90"));

    assertThat(state.rows()).isEqualTo(2);
    assertThat(state.measure(0)).isEqualTo(2L);
    assertThat(state.measure(1)).isEqualTo(2L);
    assertThat((BigDecimal) state.measure(2)).isEqualByComparingTo("130.25");
    assertThat(((BigDecimal) state.measure(3)).toPlainString()).isEqualTo("65.125");
    assertThat(((BigDecimal) state.measure(4)).toPlainString()).isEqualTo("60");
    assertThat(((BigDecimal) state.measure(5)).toPlainString()).isEqualTo("70.25");
  }

  @Test
  void theResultDoesNotDependOnTheOrderOfChanges() {
    List<List<Object>> rows = new ArrayList<>();
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      rows.add(
          row(
              "p" + random.nextInt(7),
              random.nextInt(3) == 0 ? null : (random.nextInt(1000) / 10.0) + ""));
    }
    GroupState forward = new GroupState(ALL, List.of("g"), null);
    rows.forEach(forward::add);
    List<List<Object>> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, random);
    GroupState other = new GroupState(ALL, List.of("g"), null);
    shuffled.forEach(other::add);
    // And a detour: add extra rows and take them back.
    other.add(row("p99", "1000"));
    other.remove(row("p99", "1000"));
    for (int i = 0; i < ALL.size(); i++) {
      assertThat(String.valueOf(other.measure(i))).isEqualTo(String.valueOf(forward.measure(i)));
    }
  }

  @Test
  void aStateSurvivesItsBytesAndKeepsItsVersionWhenEmpty() {
    GroupState state = new GroupState(ALL, Arrays.asList("a", null), 3_600_000L);
    state.add(row("p1", "60"));
    state.bumpVersion();
    state.remove(row("p1", "60"));
    state.bumpVersion();

    GroupState back = GroupState.fromBytes(ALL, state.toBytes());

    assertThat(back.rows()).isZero();
    assertThat(back.version()).isEqualTo(2);
    assertThat(back.group()).containsExactly("a", null);
    assertThat(back.windowStart()).isEqualTo(3_600_000L);
    assertThat(back.measure(2)).isNull();
    assertThat(back.measure(4)).isNull();
  }

  @Test
  void resultIdsEscapeWhatAStoreCannotHoldInAnId() {
    assertThat(ResultIds.of("a", Arrays.asList("x/y|z", null, "~"), 0L))
        .isEqualTo("a|x%2fy%7cz|~|%7e|1970-01-01T00:00:00Z");
  }

  @Test
  void ageBandsFollowTheirBounds() {
    assertThat(AgeBands.label(List.of(18, 65), 0)).isEqualTo("0-17");
    assertThat(AgeBands.label(List.of(18, 65), 18)).isEqualTo("18-64");
    assertThat(AgeBands.label(List.of(18, 65), 65)).isEqualTo("65+");
  }

  @Test
  void partialDatesStandForTheirFirstMoment() {
    assertThat(EventTimes.instant("2020")).hasToString("2020-01-01T00:00:00Z");
    assertThat(EventTimes.instant("2020-03")).hasToString("2020-03-01T00:00:00Z");
    assertThat(EventTimes.instant("2020-03-04T10:00:00+02:00")).hasToString("2020-03-04T08:00:00Z");
    assertThat(EventTimes.instant("soon")).isNull();
  }
}
