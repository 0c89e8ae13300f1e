package io.fhirstream.analytics.stream;

import io.fhirstream.analytics.AnalyticsEngine;
import io.fhirstream.analytics.aggregate.CompiledAggregate;
import io.fhirstream.analytics.aggregate.GroupState;
import io.fhirstream.analytics.aggregate.ResultDocuments;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage B, per {@link Delta} (keyed by result id, so every change of one result meets here): take
 * back the rows the delta removes, add those it adds, count a new version, store the group's state
 * and send the result document to the aggregate's topic, or a tombstone once the group holds no
 * row. The group's version is kept while it is empty, so a group that comes back outranks its own
 * removal in the store.
 */
final class GroupProcessor implements Processor<String, byte[], String, Routed> {
  static final String STORE = "groups";

  private final Supplier<AnalyticsEngine> engines;
  private final TopicNames topics;
  private final AnalyticsObserver observer;
  private final Map<String, CompiledAggregate> aggregates = new HashMap<>();
  private ProcessorContext<String, Routed> context;
  private KeyValueStore<String, byte[]> store;

  GroupProcessor(Supplier<AnalyticsEngine> engines, TopicNames topics, AnalyticsObserver observer) {
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
    Delta delta = Delta.fromBytes(record.value());
    CompiledAggregate aggregate = aggregate(delta.aggregate());
    if (aggregate == null) {
      // An aggregate removed from the definitions since the delta was written: nothing keeps it.
      return;
    }
    byte[] stored = store.get(record.key());
    GroupState state =
        stored == null
            ? new GroupState(aggregate.functions(), delta.group(), delta.windowStart())
            : GroupState.fromBytes(aggregate.functions(), stored);
    if (state.group() == null && delta.group() != null) {
      state.identify(delta.group(), delta.windowStart());
    }
    delta.removes().forEach(state::remove);
    delta.adds().forEach(state::add);
    state.bumpVersion();
    store.put(record.key(), state.toBytes());
    byte[] document =
        state.rows() > 0 ? ResultDocuments.render(aggregate, record.key(), state) : null;
    RecordHeaders headers = new RecordHeaders();
    headers.add(Headers.RESULT_VERSION, Headers.utf8(Long.toString(state.version())));
    if (delta.written() != null) {
      headers.add(Headers.SOURCE_TIME, Headers.utf8(Long.toString(delta.written())));
    }
    context.forward(
        new Record<>(
            record.key(),
            new Routed(topics.aggregateTopic(aggregate.name()), document),
            context.currentSystemTimeMs(),
            headers));
    observer.result(aggregate.name());
  }

  private CompiledAggregate aggregate(String name) {
    if (aggregates.isEmpty()) {
      engines.get().aggregates().forEach(a -> aggregates.put(a.name(), a));
    }
    return aggregates.get(name);
  }
}
