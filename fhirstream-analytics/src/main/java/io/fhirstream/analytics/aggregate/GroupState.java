package io.fhirstream.analytics.aggregate;

import io.fhirstream.analytics.aggregate.AggregateDefinition.Function;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current result of one group (and window) of an aggregate, kept so that any contribution can
 * be taken back: counts, sums with the count of values they add, and for {@code countDistinct},
 * {@code min} and {@code max} how often each value occurs. Adding and removing contributions
 * commute, and sums are exact, so a group's result depends only on which contributions it holds,
 * never on the order they came in: the reason a recomputation from the store ({@code analytics
 * verify}) can expect the very same document.
 *
 * <p>{@link #version()} grows by one with every change, and is kept while the group is empty, so a
 * group that comes back gets a higher version than the removal the store holds.
 */
public final class GroupState {
  private static final MathContext AVERAGE = MathContext.DECIMAL64;

  private final List<Function> functions;
  private long version;
  private long rows;
  private List<String> group;
  private Long windowStart;
  private final long[] counts;
  private final BigDecimal[] sums;
  private final List<TreeMap<Object, Long>> values;

  /** An empty group of an aggregate with these measure functions. */
  public GroupState(List<Function> functions, List<String> group, Long windowStart) {
    this.functions = List.copyOf(functions);
    this.group = group;
    this.windowStart = windowStart;
    counts = new long[functions.size()];
    sums = new BigDecimal[functions.size()];
    values = new ArrayList<>(functions.size());
    for (int i = 0; i < functions.size(); i++) {
      sums[i] = BigDecimal.ZERO;
      values.add(new TreeMap<>(GroupState::compare));
    }
  }

  /** Adds one contribution's measure inputs. */
  public void add(List<Object> inputs) {
    apply(inputs, 1);
  }

  /** Takes back one contribution's measure inputs (added before). */
  public void remove(List<Object> inputs) {
    apply(inputs, -1);
  }

  /** Counts one change of the group (after any number of adds and removes). */
  public void bumpVersion() {
    version++;
  }

  private void apply(List<Object> inputs, int sign) {
    rows += sign;
    for (int i = 0; i < functions.size(); i++) {
      Object value = inputs.get(i);
      if (value == null) {
        continue;
      }
      switch (functions.get(i)) {
        case COUNT -> counts[i] += sign;
        case SUM, AVG -> {
          counts[i] += sign;
          BigDecimal decimal = (BigDecimal) value;
          sums[i] = sign > 0 ? sums[i].add(decimal) : sums[i].subtract(decimal);
        }
        case COUNT_DISTINCT, MIN, MAX -> {
          TreeMap<Object, Long> map = values.get(i);
          long count = map.getOrDefault(value, 0L) + sign;
          if (count <= 0) {
            map.remove(value);
          } else {
            map.put(value, count);
          }
        }
      }
    }
  }

  public long version() {
    return version;
  }

  /** How many contributions (rows) the group holds; 0 once all were taken back. */
  public long rows() {
    return rows;
  }

  public List<String> group() {
    return group;
  }

  public Long windowStart() {
    return windowStart;
  }

  /** Sets the group and window, for a group first seen through its version alone. */
  public void identify(List<String> newGroup, Long newWindowStart) {
    this.group = newGroup;
    this.windowStart = newWindowStart;
  }

  /**
   * The value of measure {@code i}: a {@code Long} for counts, a {@code BigDecimal} for sums and
   * averages (trailing zeros stripped), the smallest or largest value for min and max; null when no
   * row had a value.
   */
  public Object measure(int i) {
    return switch (functions.get(i)) {
      case COUNT -> counts[i];
      case COUNT_DISTINCT -> (long) values.get(i).size();
      case SUM -> counts[i] == 0 ? null : canonical(sums[i]);
      case AVG ->
          counts[i] == 0 ? null : canonical(sums[i].divide(BigDecimal.valueOf(counts[i]), AVERAGE));
      case MIN -> values.get(i).isEmpty() ? null : values.get(i).firstKey();
      case MAX -> values.get(i).isEmpty() ? null : values.get(i).lastKey();
    };
  }

  private static BigDecimal canonical(BigDecimal value) {
    return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
  }

  private static int compare(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y);
    }
    return a.toString().compareTo(b.toString());
  }

  /** The state as bytes, for a state store. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(version);
      out.writeLong(rows);
      Values.writeNullableLong(out, windowStart);
      Values.writeStrings(out, group);
      for (int i = 0; i < functions.size(); i++) {
        out.writeLong(counts[i]);
        out.writeUTF(sums[i].toString());
        out.writeInt(values.get(i).size());
        for (Map.Entry<Object, Long> entry : values.get(i).entrySet()) {
          Values.write(out, entry.getKey());
          out.writeLong(entry.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A state read back from {@link #toBytes()}. */
  public static GroupState fromBytes(List<Function> functions, byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      long version = in.readLong();
      long rows = in.readLong();
      Long windowStart = Values.readNullableLong(in);
      List<String> group = Values.readStrings(in);
      GroupState state = new GroupState(functions, group, windowStart);
      state.version = version;
      state.rows = rows;
      for (int i = 0; i < functions.size(); i++) {
        state.counts[i] = in.readLong();
        state.sums[i] = new BigDecimal(in.readUTF());
        int entries = in.readInt();
        for (int e = 0; e < entries; e++) {
          state.values.get(i).put(Values.read(in), in.readLong());
        }
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
