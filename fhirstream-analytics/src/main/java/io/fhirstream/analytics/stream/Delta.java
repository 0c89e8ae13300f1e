package io.fhirstream.analytics.stream;

import io.fhirstream.analytics.aggregate.Values;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One resource's change to one result of an aggregate, on the internal topic keyed by result id:
 * the rows it takes back (its previous version's inputs) and the rows it adds. Both in one record
 * when the group stays the same, so the result changes once.
 *
 * @param aggregate the aggregate's name
 * @param group the group's values (null when the delta only takes back)
 * @param windowStart the window's start, or null
 * @param removes inputs of rows taken back
 * @param adds inputs of rows added
 * @param written when the change was written to the FHIR server (epoch ms), or null
 */
record Delta(
    String aggregate,
    List<String> group,
    Long windowStart,
    List<List<Object>> removes,
    List<List<Object>> adds,
    Long written) {

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(aggregate);
      Values.writeStrings(out, group);
      Values.writeNullableLong(out, windowStart);
      writeRows(out, removes);
      writeRows(out, adds);
      Values.writeNullableLong(out, written);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Delta fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      return new Delta(
          in.readUTF(),
          Values.readStrings(in),
          Values.readNullableLong(in),
          readRows(in),
          readRows(in),
          Values.readNullableLong(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeRows(DataOutputStream out, List<List<Object>> rows) throws IOException {
    out.writeInt(rows.size());
    for (List<Object> row : rows) {
      Values.writeList(out, row);
    }
  }

  private static List<List<Object>> readRows(DataInputStream in) throws IOException {
    int size = in.readInt();
    List<List<Object>> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      rows.add(Values.readList(in));
    }
    return rows;
  }
}
