package io.fhirstream.analytics.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fhirstream.analytics.aggregate.AggregateDefinition.GroupBy;
import io.fhirstream.analytics.aggregate.CompiledAggregate;
import io.fhirstream.analytics.stream.ResourceState.Share;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The records of a windowed aggregate's late topic, one per late change of a window's result, keyed
 * by result id: which window and group, which resource, when the change was written and how long
 * after the window's end plus grace. No measured values.
 *
 * <pre>{@code
 * {"aggregate": "heart_rate_daily", "id": "heart_rate_daily|p1|2024-05-01T00:00:00Z",
 *  "group": {"patient_id": "p1"}, "window": {"start": "…", "end": "…"},
 *  "resource": "Observation/o1", "written": "2024-05-03T09:00:00Z", "lateByMillis": 111600000}
 * }</pre>
 */
final class LateRecords {
  private static final JsonFactory JSON = new JsonFactory();

  private LateRecords() {}

  static byte[] encode(
      CompiledAggregate aggregate,
      String id,
      Share share,
      String resourceKey,
      Instant written,
      long lateBy) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("aggregate", aggregate.name());
      json.writeStringField("id", id);
      json.writeObjectFieldStart("group");
      List<GroupBy> groupBy = aggregate.definition().groupBy();
      for (int i = 0; i < groupBy.size(); i++) {
        json.writeStringField(groupBy.get(i).name(), share.group().get(i));
      }
      json.writeEndObject();
      json.writeObjectFieldStart("window");
      json.writeStringField("start", Instant.ofEpochMilli(share.windowStart()).toString());
      json.writeStringField(
          "end", Instant.ofEpochMilli(aggregate.windowEnd(share.windowStart())).toString());
      json.writeEndObject();
      json.writeStringField("resource", resourceKey);
      json.writeStringField("written", written.toString());
      json.writeNumberField("lateByMillis", lateBy);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
