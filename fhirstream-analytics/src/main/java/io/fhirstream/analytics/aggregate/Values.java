package io.fhirstream.analytics.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of measure inputs and group values in state stores and internal topics: a tag
 * byte (null, text, decimal, true), then the value. Compact and exact: a decimal keeps its digits.
 */
public final class Values {
  private static final int NULL = 0;
  private static final int TEXT = 1;
  private static final int DECIMAL = 2;
  private static final int TRUE = 3;

  private Values() {}

  /** Writes null, a {@code String}, a {@code BigDecimal} or {@code Boolean.TRUE}. */
  public static void write(DataOutput out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String text) {
      out.writeByte(TEXT);
      writeLongUtf(out, text);
    } else if (value instanceof BigDecimal decimal) {
      out.writeByte(DECIMAL);
      out.writeUTF(decimal.toString());
    } else if (value == Boolean.TRUE) {
      out.writeByte(TRUE);
    } else {
      throw new IllegalArgumentException("no binary form for " + value.getClass().getSimpleName());
    }
  }

  public static Object read(DataInput in) throws IOException {
    int tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case TEXT -> readLongUtf(in);
      case DECIMAL -> new BigDecimal(in.readUTF());
      case TRUE -> Boolean.TRUE;
      default -> throw new IOException("unknown value tag " + tag);
    };
  }

  public static void writeList(DataOutput out, List<Object> values) throws IOException {
    out.writeInt(values.size());
    for (Object value : values) {
      write(out, value);
    }
  }

  public static List<Object> readList(DataInput in) throws IOException {
    int size = in.readInt();
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add(read(in));
    }
    return values;
  }

  public static void writeStrings(DataOutput out, List<String> values) throws IOException {
    out.writeInt(values == null ? -1 : values.size());
    if (values != null) {
      for (String value : values) {
        write(out, value);
      }
    }
  }

  public static List<String> readStrings(DataInput in) throws IOException {
    int size = in.readInt();
    if (size < 0) {
      return null;
    }
    List<String> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add((String) read(in));
    }
    return values;
  }

  public static void writeNullableLong(DataOutput out, Long value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeLong(value);
    }
  }

  public static Long readNullableLong(DataInput in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }

  public static void writeNullableString(DataOutput out, String value) throws IOException {
    write(out, value);
  }

  public static String readNullableString(DataInput in) throws IOException {
    return (String) read(in);
  }

  /**
   * writeUTF is limited to 64 KB; a text value (an id, a code, a city) could in theory be longer.
   */
  private static void writeLongUtf(DataOutput out, String text) throws IOException {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readLongUtf(DataInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
