package io.fhirstream.analytics.aggregate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An aggregate as declared in JSON: what it reads (a view by name, or a resource type with columns
 * of its own), which rows it keeps, how it groups them, what it measures, and optionally the time
 * windows it splits each group into. Read by {@link AggregateJsonReader}; bound to its view by
 * {@link CompiledAggregate#compile}.
 *
 * @param name the aggregate's name: a letter, then letters, digits and underscores (at most 63); it
 *     names the result documents ({@code name|group…}) and the output topic
 * @param source the file or classpath resource it came from, named in errors
 * @param view the name of the view it reads, or null when it reads {@code resource}
 * @param resource the resource type it reads through {@code columns}, or null when it reads a view
 * @param columns with {@code resource}: the columns (name and FHIRPath) the aggregate reads
 * @param filters conditions a row must meet, all of them
 * @param groupBy what a group is made of, in order
 * @param measures what is computed per group
 * @param window the time windows, or null for a current-state aggregate
 */
public record AggregateDefinition(
    String name,
    String source,
    String view,
    String resource,
    List<SourceColumn> columns,
    List<Filter> filters,
    List<GroupBy> groupBy,
    List<Measure> measures,
    Window window) {

  public AggregateDefinition {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    filters = List.copyOf(filters);
    groupBy = List.copyOf(groupBy);
    measures = List.copyOf(measures);
  }

  /** How errors name it: {@code 'name' (file)}. */
  public String label() {
    return "'" + name + "'" + (source == null ? "" : " (" + source + ")");
  }

  /** A column of an aggregate over a resource type: a name and a FHIRPath, as in a view. */
  public record SourceColumn(String name, String path, String type) {}

  /**
   * A condition on one column: it equals {@code equals}, is one of {@code in}, or (with {@code
   * notNull}) has a value. Values compare as text (a decimal's plain text, {@code true}/{@code
   * false}).
   */
  public record Filter(String column, List<String> in, boolean notNull, String element) {}

  /**
   * One part of a group's key: a column's value, or with {@code ageBands} the band of the age a
   * date column gives at the reference date ({@code analytics.reference-date}).
   *
   * @param name the part's name in result documents
   * @param column the column it is read from
   * @param ageBands ascending lower bounds of the bands after the first, e.g. {@code [18, 65]}
   *     makes {@code 0-17}, {@code 18-64}, {@code 65+}; empty for the column's value itself
   */
  public record GroupBy(String name, String column, List<Integer> ageBands, String element) {
    public GroupBy {
      ageBands = List.copyOf(ageBands);
    }
  }

  /** What a measure computes. */
  public enum Function {
    /** Rows, or with a column the rows where it has a value. */
    COUNT("count"),
    /** Distinct values of the column. */
    COUNT_DISTINCT("countDistinct"),
    /** Sum of a numeric column. */
    SUM("sum"),
    /** Mean of a numeric column (sum over count of values, 16 significant digits). */
    AVG("avg"),
    /** Smallest value (numbers by value, other values as text). */
    MIN("min"),
    /** Largest value. */
    MAX("max");

    private final String json;

    Function(String json) {
      this.json = json;
    }

    /** The name in JSON, e.g. {@code countDistinct}. */
    public String json() {
      return json;
    }

    /** Whether it needs numbers. */
    public boolean numeric() {
      return this == SUM || this == AVG;
    }
  }

  /**
   * One measure.
   *
   * @param name its name in result documents
   * @param function what it computes
   * @param column the column it reads; null only for {@code count} (rows)
   */
  public record Measure(String name, Function function, String column, String element) {}

  /**
   * Time windows on a column of the view (event time): each row counts in every window {@code
   * [start, start + size)} that holds its time, starts being multiples of {@code advance} from the
   * epoch (UTC). Tumbling when {@code advance == size}, hopping when smaller.
   *
   * @param column a date or dateTime column
   * @param size the window's length
   * @param advance how far apart windows start
   * @param grace how long after a window's end a change may still be written without being late
   */
  public record Window(String column, Duration size, Duration advance, Duration grace) {}
}
