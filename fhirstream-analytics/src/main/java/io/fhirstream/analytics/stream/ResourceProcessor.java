package io.fhirstream.analytics.stream;

import io.fhirstream.analytics.AnalyticsEngine;
import io.fhirstream.analytics.AnalyticsEngine.Evaluation;
import io.fhirstream.analytics.aggregate.CompiledAggregate;
import io.fhirstream.analytics.stream.ResourceState.Share;
import io.fhirstream.analytics.view.CompiledView;
import io.fhirstream.analytics.view.ViewEvaluationException;
import io.fhirstream.analytics.view.ViewRow;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.ResourceMeta;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage A, per resource change from the hub: decode it, guard its version against the version the
 * resource's state holds (a duplicate or an older version is dropped and counted), parse it once,
 * make every view's rows and every aggregate's contributions, and send
 *
 * <ul>
 *   <li>per view over its type, the rows to the view's topic (they replace the resource's rows);
 *   <li>per result whose share from this resource changed, a {@link Delta} (take back the old rows,
 *       add the new) to the internal delta stream, keyed by result id; and, for a windowed
 *       aggregate, a record to its late topic when the change was written to the FHIR server more
 *       than the grace period after the window's end;
 *   <li>a record that cannot be read, or a resource that breaks a view's rule, to the dead-letter
 *       topic (for the latter, the resource's rows and contributions are removed, as if it made
 *       none, and its version is kept).
 * </ul>
 *
 * The new state is stored last; with exactly_once_v2 the store, the outputs and the input offset
 * commit together.
 */
final class ResourceProcessor implements Processor<String, byte[], String, Routed> {
  static final String STORE = "resources";

  private final Supplier<AnalyticsEngine> engines;
  private final TopicNames topics;
  private final AnalyticsObserver observer;
  private ProcessorContext<String, Routed> context;
  private KeyValueStore<String, byte[]> store;
  private AnalyticsEngine engine;

  ResourceProcessor(
      Supplier<AnalyticsEngine> engines, TopicNames topics, AnalyticsObserver observer) {
    this.engines = engines;
    this.topics = topics;
    this.observer = observer;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata origin = context.recordMetadata().orElseThrow();
    String type = topics.resourceType(origin.topic());
    Version version;
    try {
      version = version(type, record);
    } catch (BadEventException e) {
      deadLetter(record, origin, type, e.getMessage());
      return;
    }
    String key = type + "/" + record.key();
    byte[] storedBytes = store.get(key);
    ResourceState stored = storedBytes == null ? null : ResourceState.fromBytes(storedBytes);
    if (stored != null
        && !VersionOrder.isNewer(
            version.versionId, version.lastUpdated, stored.versionId, stored.lastUpdated)) {
      observer.duplicate(type);
      return;
    }
    if (engine == null) {
      engine = engines.get();
    }
    Evaluation evaluation;
    try {
      evaluation = engine.evaluate(type, record.value(), () -> {});
    } catch (ViewEvaluationException e) {
      deadLetter(record, origin, type, e.getMessage());
      evaluation = engine.evaluate(type, null, () -> {});
    }
    long now = context.currentSystemTimeMs();
    boolean deleted = record.value() == null;
    for (CompiledView view : engine.viewsOf(type)) {
      List<ViewRow> rows = evaluation.rows().get(view.name());
      byte[] value = ViewRecords.encode(version.versionId, version.lastUpdated, deleted, rows);
      forward(key, new Routed(topics.viewTopic(view.name()), value), now);
    }
    Map<String, Map<String, Share>> shares = new LinkedHashMap<>();
    for (CompiledAggregate aggregate : engine.aggregatesOf(type)) {
      Map<String, Share> current =
          ResourceState.byResult(evaluation.contributions().get(aggregate.name()));
      Map<String, Share> before = stored == null ? Map.of() : stored.sharesOf(aggregate.name());
      sendDeltas(aggregate, key, before, current, version.lastUpdated, now);
      if (!current.isEmpty()) {
        shares.put(aggregate.name(), current);
      }
    }
    store.put(
        key, new ResourceState(version.versionId, version.lastUpdated, deleted, shares).toBytes());
    observer.applied(type);
  }

  private void sendDeltas(
      CompiledAggregate aggregate,
      String resourceKey,
      Map<String, Share> before,
      Map<String, Share> after,
      Instant written,
      long now) {
    Set<String> ids = new LinkedHashSet<>(before.keySet());
    ids.addAll(after.keySet());
    for (String id : ids) {
      Share old = before.get(id);
      Share updated = after.get(id);
      if (ResourceState.sameInputs(old, updated)) {
        continue;
      }
      Share known = updated != null ? updated : old;
      Delta delta =
          new Delta(
              aggregate.name(),
              known.group(),
              known.windowStart(),
              old == null ? List.of() : old.inputs(),
              updated == null ? List.of() : updated.inputs(),
              written == null ? null : written.toEpochMilli());
      forward(id, new Routed(null, delta.toBytes()), now);
      if (known.windowStart() != null) {
        long lateBy = aggregate.lateBy(known.windowStart(), written);
        if (lateBy > 0) {
          observer.late(aggregate.name());
          forward(
              id,
              new Routed(
                  topics.lateTopic(aggregate.name()),
                  LateRecords.encode(aggregate, id, known, resourceKey, written, lateBy)),
              now);
        }
      }
    }
  }

  private void forward(String key, Routed value, long timestamp) {
    context.forward(new Record<>(key, value, timestamp, new RecordHeaders()));
  }

  /** The version of a record: from the resource's meta, else from the hub's headers. */
  private Version version(String type, Record<String, byte[]> record) throws BadEventException {
    if (type == null) {
      throw new BadEventException("topic is not a resource topic");
    }
    if (record.key() == null || record.key().isEmpty()) {
      throw new BadEventException("record has no key (the resource id)");
    }
    String headerVersion = Headers.text(record.headers(), Headers.FHIR_VERSION_ID);
    String time = Headers.text(record.headers(), Headers.CE_TIME);
    if (record.value() == null) {
      if (headerVersion == null) {
        throw new BadEventException(
            "tombstone without a "
                + Headers.FHIR_VERSION_ID
                + " header: its version cannot be guarded");
      }
      return new Version(headerVersion, FhirJson.parseInstant(time));
    }
    ResourceMeta meta = FhirJson.readMeta(record.value());
    if (!type.equals(meta.resourceType())) {
      throw new BadEventException("resourceType does not match the topic's type " + type);
    }
    if (!record.key().equals(meta.id())) {
      throw new BadEventException("resource id does not equal the record key");
    }
    return new Version(
        meta.versionId() != null ? meta.versionId() : headerVersion,
        meta.lastUpdated() != null ? meta.lastUpdated() : FhirJson.parseInstant(time));
  }

  private void deadLetter(
      Record<String, byte[]> record, RecordMetadata origin, String type, String reason) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(Headers.DLQ_REASON, Headers.utf8("analytics: " + reason));
    headers.add(Headers.DLQ_TOPIC, Headers.utf8(origin.topic()));
    headers.add(Headers.DLQ_PARTITION, Headers.utf8(Integer.toString(origin.partition())));
    headers.add(Headers.DLQ_OFFSET, Headers.utf8(Long.toString(origin.offset())));
    context.forward(
        new Record<>(
            record.key(),
            new Routed(topics.deadLetterTopic(), record.value()),
            context.currentSystemTimeMs(),
            headers));
    observer.deadLetter(type);
  }

  private record Version(String versionId, Instant lastUpdated) {}
}
