package io.fhirstream.analytics.aggregate;

import io.fhirstream.analytics.aggregate.AggregateDefinition.Filter;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Function;
import io.fhirstream.analytics.aggregate.AggregateDefinition.GroupBy;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Measure;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Window;
import io.fhirstream.analytics.view.CompiledView;
import io.fhirstream.analytics.view.ViewColumn;
import io.fhirstream.analytics.view.ViewRow;
import io.fhirstream.api.results.ColumnType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An aggregate bound to the view it reads: every column it names exists there and has a type that
 * fits its use. Turns one resource's rows into its {@link Contribution}s, the pure function both
 * the streaming topology and {@code fhirstream analytics verify} use.
 */
public final class CompiledAggregate {
  private final AggregateDefinition definition;
  private final CompiledView view;
  private final int[] filterColumns;
  private final List<Set<String>> filterValues = new ArrayList<>();
  private final int[] groupColumns;
  private final int[] measureColumns;
  private final boolean[] numericMeasure;
  private final int windowColumn;
  private final LocalDate referenceDate;

  private CompiledAggregate(
      AggregateDefinition definition, CompiledView view, LocalDate referenceDate) {
    this.definition = definition;
    this.view = view;
    this.referenceDate = referenceDate;
    List<Filter> filters = definition.filters();
    filterColumns = new int[filters.size()];
    for (int i = 0; i < filters.size(); i++) {
      filterColumns[i] = column(filters.get(i).column(), filters.get(i).element() + ".column");
      filterValues.add(filters.get(i).notNull() ? null : new HashSet<>(filters.get(i).in()));
    }
    List<GroupBy> groupBy = definition.groupBy();
    groupColumns = new int[groupBy.size()];
    for (int i = 0; i < groupBy.size(); i++) {
      GroupBy g = groupBy.get(i);
      groupColumns[i] = column(g.column(), g.element() + (g.ageBands().isEmpty() ? "" : ".column"));
      if (!g.ageBands().isEmpty()) {
        requireType(
            groupColumns[i],
            g.element() + ".column",
            "an age band",
            ColumnType.DATE,
            ColumnType.DATETIME);
      }
    }
    List<Measure> measures = definition.measures();
    measureColumns = new int[measures.size()];
    numericMeasure = new boolean[measures.size()];
    for (int i = 0; i < measures.size(); i++) {
      Measure m = measures.get(i);
      measureColumns[i] = m.column() == null ? -1 : column(m.column(), m.element() + ".column");
      if (m.column() != null) {
        ColumnType type = type(measureColumns[i]);
        numericMeasure[i] = type == ColumnType.INTEGER || type == ColumnType.DECIMAL;
        if (m.function().numeric() && !numericMeasure[i]) {
          throw fail(
              m.element() + ".column",
              m.function().json()
                  + " needs a number, but column '"
                  + m.column()
                  + "' of view "
                  + view.name()
                  + " is "
                  + type
                  + " (declare the column's type decimal or integer, or use count, countDistinct,"
                  + " min or max)");
        }
      }
    }
    Window window = definition.window();
    windowColumn = window == null ? -1 : column(window.column(), "window.column");
    if (window != null) {
      requireType(windowColumn, "window.column", "a window", ColumnType.DATE, ColumnType.DATETIME);
    }
  }

  /**
   * Binds a definition to the view it names.
   *
   * @param referenceDate the date ages are computed at, for {@code ageBands}
   * @throws AggregateDefinitionException naming the aggregate, its file, the element and the
   *     problem: a column the view lacks, a measure or window over a column of the wrong type
   */
  public static CompiledAggregate compile(
      AggregateDefinition definition, CompiledView view, LocalDate referenceDate) {
    return new CompiledAggregate(definition, view, referenceDate);
  }

  public String name() {
    return definition.name();
  }

  public AggregateDefinition definition() {
    return definition;
  }

  /** The view it reads. */
  public CompiledView view() {
    return view;
  }

  /** Whether its results are split into time windows. */
  public boolean windowed() {
    return definition.window() != null;
  }

  /**
   * The contributions of one resource's rows (the rows its view made from it), in row order, then
   * window order.
   *
   * @param noEventTime called once for each row that has no time for a windowed aggregate; such a
   *     row belongs to no window
   */
  public List<Contribution> contributions(List<ViewRow> rows, Runnable noEventTime) {
    List<Contribution> out = new ArrayList<>(rows.size());
    for (ViewRow row : rows) {
      if (!passes(row)) {
        continue;
      }
      List<String> group = new ArrayList<>(groupColumns.length);
      for (int i = 0; i < groupColumns.length; i++) {
        group.add(groupValue(definition.groupBy().get(i), row.get(groupColumns[i])));
      }
      List<Object> inputs = new ArrayList<>(measureColumns.length);
      for (int i = 0; i < measureColumns.length; i++) {
        inputs.add(
            measureColumns[i] < 0
                ? Boolean.TRUE
                : input(row.get(measureColumns[i]), numericMeasure[i]));
      }
      if (windowColumn < 0) {
        out.add(new Contribution(ResultIds.of(name(), group, null), group, null, inputs));
        continue;
      }
      Instant time = EventTimes.instant((String) row.get(windowColumn));
      if (time == null) {
        noEventTime.run();
        continue;
      }
      for (long start : windowStarts(time.toEpochMilli())) {
        out.add(new Contribution(ResultIds.of(name(), group, start), group, start, inputs));
      }
    }
    return out;
  }

  /** The starts (epoch ms) of every window holding {@code time}, earliest first. */
  long[] windowStarts(long time) {
    long size = definition.window().size().toMillis();
    long advance = definition.window().advance().toMillis();
    int count = (int) (size / advance);
    long last = Math.floorDiv(time, advance) * advance;
    long[] starts = new long[count];
    for (int i = 0; i < count; i++) {
      starts[i] = last - (long) (count - 1 - i) * advance;
    }
    return starts;
  }

  /** The end (exclusive, epoch ms) of the window starting at {@code start}. */
  public long windowEnd(long start) {
    return start + definition.window().size().toMillis();
  }

  /**
   * How late a change written to the FHIR server at {@code written} is for the window starting at
   * {@code start}: the time past the window's end plus the grace period, or zero when it is on time
   * (or its write time is unknown).
   */
  public long lateBy(long start, Instant written) {
    if (written == null) {
      return 0;
    }
    long deadline = windowEnd(start) + definition.window().grace().toMillis();
    return Math.max(0, written.toEpochMilli() - deadline);
  }

  private boolean passes(ViewRow row) {
    for (int i = 0; i < filterColumns.length; i++) {
      Object value = row.get(filterColumns[i]);
      Set<String> allowed = filterValues.get(i);
      if (value == null || (allowed != null && !allowed.contains(text(value)))) {
        return false;
      }
    }
    return true;
  }

  private String groupValue(GroupBy groupBy, Object value) {
    if (groupBy.ageBands().isEmpty()) {
      return value == null ? null : text(value);
    }
    LocalDate born = EventTimes.date((String) value);
    if (born == null || born.isAfter(referenceDate)) {
      return null;
    }
    return AgeBands.label(groupBy.ageBands(), Period.between(born, referenceDate).getYears());
  }

  /** A value as group keys, filters and text measures see it. */
  static String text(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  private static Object input(Object value, boolean numeric) {
    if (value == null) {
      return null;
    }
    if (numeric) {
      BigDecimal decimal =
          value instanceof BigDecimal d ? d : new BigDecimal(((Number) value).longValue());
      return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
    }
    return text(value);
  }

  private int column(String name, String element) {
    List<ViewColumn> columns = view.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        ColumnType type = columns.get(i).type();
        if (type == ColumnType.JSON) {
          throw fail(
              element,
              "column '"
                  + name
                  + "' of view "
                  + view.name()
                  + " is a collection; aggregate over"
                  + " one value per row (use forEach in the view to make a row per item)");
        }
        return i;
      }
    }
    throw fail(
        element,
        "view "
            + view.name()
            + " has no column '"
            + name
            + "'; it has "
            + columns.stream().map(ViewColumn::name).toList());
  }

  private ColumnType type(int column) {
    return view.columns().get(column).type();
  }

  private void requireType(int column, String element, String what, ColumnType... allowed) {
    ColumnType type = type(column);
    for (ColumnType ok : allowed) {
      if (ok == type) {
        return;
      }
    }
    throw fail(
        element,
        what
            + " needs a date or dateTime column, but '"
            + view.columns().get(column).name()
            + "' of view "
            + view.name()
            + " is "
            + type
            + " (declare the column's type date or dateTime)");
  }

  private AggregateDefinitionException fail(String element, String problem) {
    return new AggregateDefinitionException(definition.label(), element, problem);
  }

  /** The measure functions, by position. */
  public List<Function> functions() {
    return definition.measures().stream().map(Measure::function).toList();
  }
}
