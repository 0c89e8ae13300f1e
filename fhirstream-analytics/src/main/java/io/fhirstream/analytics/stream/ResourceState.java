package io.fhirstream.analytics.stream;

import io.fhirstream.analytics.aggregate.Contribution;
import io.fhirstream.analytics.aggregate.Values;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the topology remembers of a resource: the version it last applied (kept after a deletion, so
 * nothing older comes back) and, per aggregate, the results its rows contributed to with their
 * measure inputs, so that the next version can take exactly those back.
 */
final class ResourceState {
  final String versionId;
  final Instant lastUpdated;
  final boolean deleted;

  /** aggregate → result id → what the resource's rows put there. */
  final Map<String, Map<String, Share>> shares;

  /** The rows one resource put into one result: its group, window and each row's inputs. */
  record Share(List<String> group, Long windowStart, List<List<Object>> inputs) {}

  ResourceState(
      String versionId,
      Instant lastUpdated,
      boolean deleted,
      Map<String, Map<String, Share>> shares) {
    this.versionId = versionId;
    this.lastUpdated = lastUpdated;
    this.deleted = deleted;
    this.shares = shares;
  }

  /** A resource's contributions to one aggregate, by result. */
  static Map<String, Share> byResult(List<Contribution> contributions) {
    Map<String, Share> shares = new LinkedHashMap<>();
    for (Contribution c : contributions) {
      shares
          .computeIfAbsent(
              c.resultId(), id -> new Share(c.group(), c.windowStart(), new ArrayList<>()))
          .inputs()
          .add(c.inputs());
    }
    return shares;
  }

  Map<String, Share> sharesOf(String aggregate) {
    return shares.getOrDefault(aggregate, Map.of());
  }

  static boolean sameInputs(Share a, Share b) {
    return a != null && b != null && Objects.equals(a.inputs(), b.inputs());
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Values.writeNullableString(out, versionId);
      Values.writeNullableLong(out, lastUpdated == null ? null : lastUpdated.toEpochMilli());
      out.writeBoolean(deleted);
      out.writeInt(shares.size());
      for (Map.Entry<String, Map<String, Share>> aggregate : shares.entrySet()) {
        out.writeUTF(aggregate.getKey());
        out.writeInt(aggregate.getValue().size());
        for (Map.Entry<String, Share> result : aggregate.getValue().entrySet()) {
          out.writeUTF(result.getKey());
          Share share = result.getValue();
          Values.writeStrings(out, share.group());
          Values.writeNullableLong(out, share.windowStart());
          out.writeInt(share.inputs().size());
          for (List<Object> inputs : share.inputs()) {
            Values.writeList(out, inputs);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ResourceState fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      String versionId = Values.readNullableString(in);
      Long millis = Values.readNullableLong(in);
      boolean deleted = in.readBoolean();
      int aggregates = in.readInt();
      Map<String, Map<String, Share>> shares = new LinkedHashMap<>();
      for (int a = 0; a < aggregates; a++) {
        String aggregate = in.readUTF();
        int results = in.readInt();
        Map<String, Share> byResult = new LinkedHashMap<>();
        for (int r = 0; r < results; r++) {
          String id = in.readUTF();
          List<String> group = Values.readStrings(in);
          Long windowStart = Values.readNullableLong(in);
          int rows = in.readInt();
          List<List<Object>> inputs = new ArrayList<>(rows);
          for (int i = 0; i < rows; i++) {
            inputs.add(Values.readList(in));
          }
          byResult.put(id, new Share(group, windowStart, inputs));
        }
        shares.put(aggregate, byResult);
      }
      return new ResourceState(
          versionId, millis == null ? null : Instant.ofEpochMilli(millis), deleted, shares);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
