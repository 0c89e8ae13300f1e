package io.fhirstream.analytics.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.fhirstream.analytics.aggregate.AggregateDefinition.GroupBy;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Measure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The JSON document of a group's result, as the store and the aggregate's topic receive it:
 *
 * <pre>{@code
 * {"id": "patients_by_gender|female", "aggregate": "patients_by_gender",
 *  "group": {"gender": "female"}, "window": {"start": "…", "end": "…"},
 *  "rows": 118, "measures": {"patients": 118}, "version": 131}
 * }</pre>
 *
 * Group values are text (null where rows had none); {@code window} is present for windowed
 * aggregates; counts are integers, sums, averages and numeric minima and maxima are exact decimals
 * without trailing zeros; {@code version} grows with every change of the group.
 */
public final class ResultDocuments {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  private ResultDocuments() {}

  public static byte[] render(CompiledAggregate aggregate, String id, GroupState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("id", id);
      json.writeStringField("aggregate", aggregate.name());
      json.writeObjectFieldStart("group");
      List<GroupBy> groupBy = aggregate.definition().groupBy();
      for (int i = 0; i < groupBy.size(); i++) {
        json.writeStringField(groupBy.get(i).name(), state.group().get(i));
      }
      json.writeEndObject();
      if (state.windowStart() != null) {
        json.writeObjectFieldStart("window");
        json.writeStringField("start", Instant.ofEpochMilli(state.windowStart()).toString());
        json.writeStringField(
            "end", Instant.ofEpochMilli(aggregate.windowEnd(state.windowStart())).toString());
        json.writeEndObject();
      }
      json.writeNumberField("rows", state.rows());
      json.writeObjectFieldStart("measures");
      List<Measure> measures = aggregate.definition().measures();
      for (int i = 0; i < measures.size(); i++) {
        json.writeFieldName(measures.get(i).name());
        Object value = state.measure(i);
        if (value == null) {
          json.writeNull();
        } else if (value instanceof Long number) {
          json.writeNumber(number);
        } else if (value instanceof BigDecimal decimal) {
          json.writeNumber(decimal);
        } else {
          json.writeString(value.toString());
        }
      }
      json.writeEndObject();
      json.writeNumberField("version", state.version());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
