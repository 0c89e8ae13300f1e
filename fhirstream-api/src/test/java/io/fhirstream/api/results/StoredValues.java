package io.fhirstream.api.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How {@link ResultWriterContract} compares what a {@link ResultReader} gives back with what was
 * written: each value brought to one form per {@link ColumnType}, as the reader's Javadoc lets a
 * store give it back (a BOOLEAN as 0 or 1, a JSON list as its text, an INTEGER as any integral
 * number). Nothing else is forgiven: a TEXT must be the same string, a DECIMAL the same number with
 * the same scale (unless the store holds decimals as doubles), an INTEGER the same 64-bit value.
 */
final class StoredValues {
  private static final ObjectMapper EXACT_JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  /** Numbers equal when their values are, so 2.50 in a JSON list may come back as 2.5. */
  private static final Comparator<JsonNode> SAME_NUMBER =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
      };

  /** Numbers equal only with the same digits and scale: a FHIR decimal's precision is its value. */
  private static final Comparator<JsonNode> EXACT_NUMBER =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().equals(b.decimalValue()) ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
      };

  private final boolean exactDecimals;

  StoredValues(boolean exactDecimals) {
    this.exactDecimals = exactDecimals;
  }

  /** A row's values in one comparable form per column type. */
  List<Object> row(List<ColumnType> types, List<?> values) {
    if (values.size() != types.size()) {
      throw new AssertionError(
          "a row has " + values.size() + " values for " + types.size() + " columns");
    }
    List<Object> row = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      row.add(value(types.get(i), values.get(i)));
    }
    return row;
  }

  Object value(ColumnType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case TEXT, DATE, DATETIME, TIME -> requireType(value, String.class, type);
      case INTEGER -> integer(value);
      case DECIMAL -> decimal(value);
      case BOOLEAN -> bool(value);
      case JSON -> new ComparableJson(json(value));
    };
  }

  private static Object integer(Object value) {
    Number number = requireType(value, Number.class, ColumnType.INTEGER);
    BigDecimal exact = new BigDecimal(number.toString());
    if (exact.stripTrailingZeros().scale() > 0) {
      throw new AssertionError("an INTEGER came back as a fraction: " + value.getClass());
    }
    return exact.longValueExact();
  }

  private Object decimal(Object value) {
    Number number = requireType(value, Number.class, ColumnType.DECIMAL);
    // A double's text shows its lost digits and scale (1.50 comes back as 1.5), so it fails here.
    return exactDecimals ? new BigDecimal(number.toString()) : (Object) number.doubleValue();
  }

  private static Object bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    Number number = requireType(value, Number.class, ColumnType.BOOLEAN);
    if (number.longValue() != 0 && number.longValue() != 1) {
      throw new AssertionError("a BOOLEAN came back as a number other than 0 or 1");
    }
    return number.longValue() == 1;
  }

  private static JsonNode json(Object value) {
    try {
      if (value instanceof String text) {
        return EXACT_JSON.readTree(text);
      }
      // A list of values: the same tree Jackson makes of it from its JSON text.
      return EXACT_JSON.readTree(EXACT_JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new AssertionError("a JSON column holds something that is not JSON", e);
    }
  }

  private static <T> T requireType(Object value, Class<T> type, ColumnType column) {
    if (!type.isInstance(value)) {
      throw new AssertionError(
          "a " + column + " value came back as a " + value.getClass().getName());
    }
    return type.cast(value);
  }

  /** A JSON tree that equals another with numbers of the same value. */
  record ComparableJson(JsonNode tree) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ComparableJson other && tree.equals(SAME_NUMBER, other.tree);
    }

    @Override
    public int hashCode() {
      return tree.size();
    }

    @Override
    public String toString() {
      return tree.toString();
    }
  }

  /** Whether two JSON documents are the same, numbers with the same digits and scale. */
  static boolean sameDocument(byte[] stored, byte[] expected) {
    try {
      return EXACT_JSON.readTree(stored).equals(EXACT_NUMBER, EXACT_JSON.readTree(expected));
    } catch (IOException e) {
      throw new AssertionError("a stored result is not JSON", e);
    }
  }
}
