package io.fhirstream.analytics.stream;

import io.fhirstream.analytics.AnalyticsEngine;
import io.fhirstream.analytics.aggregate.CompiledAggregate;
import io.fhirstream.analytics.aggregate.GroupState;
import io.fhirstream.analytics.aggregate.ResultDocuments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage B, per {@link Delta} (keyed by result id, so every change of one result meets here): take
 * back the rows the delta removes, add those it adds, count a new version, store the group's state
 * and mark the result as changed. Every {@link #EMIT_INTERVAL} (wall-clock) the changed results are
 * sent to their aggregate's topic, each once with its latest document, or a tombstone once the
 * group holds no row: a busy group such as {@code patients_by_gender|female} changes hundreds of
 * times a second, and its readers want its latest value, not each step.
 *
 * <p>The set of changed results is a state store of its own, written in the same transaction as the
 * groups' state, so a crash between a change and its emission loses nothing: the restored set is
 * emitted by whoever owns the partition next. The group's version is kept while it is empty, so a
 * group that comes back outranks its own removal in the store.
 */
final class GroupProcessor implements Processor<String, byte[], String, Routed> {
  static final String STORE = "groups";

  /** The results changed since they were last sent, by id. */
  static final String CHANGED = "changed-results";

  /** How often changed results are sent: the latency this adds at most. */
  static final java.time.Duration EMIT_INTERVAL = java.time.Duration.ofMillis(100);

  private final Supplier<AnalyticsEngine> engines;
  private final TopicNames topics;
  private final AnalyticsObserver observer;
  private final Map<String, CompiledAggregate> aggregates = new HashMap<>();

  /**
   * The states last written to the store, as objects: a busy group's state (the distinct patients
   * of an hour's observations) is read for every change, and reading it back from bytes each time
   * was most of this stage's time. Only this processor writes the store; the cache is emptied
   * whenever the processor is (re)initialised, as after a state restore.
   */
  private final Map<String, GroupState> cache =
      new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GroupState> eldest) {
          return size() > CACHED_STATES;
        }
      };

  private static final int CACHED_STATES = 10_000;
  private ProcessorContext<String, Routed> context;
  private KeyValueStore<String, byte[]> store;
  private KeyValueStore<String, byte[]> changed;

  GroupProcessor(Supplier<AnalyticsEngine> engines, TopicNames topics, AnalyticsObserver observer) {
    this.engines = engines;
    this.topics = topics;
    this.observer = observer;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    this.changed = context.getStateStore(CHANGED);
    cache.clear();
    context.schedule(EMIT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> emitChanged());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Delta delta = Delta.fromBytes(record.value());
    CompiledAggregate aggregate = aggregate(delta.aggregate());
    if (aggregate == null) {
      // An aggregate removed from the definitions since the delta was written: nothing keeps it.
      return;
    }
    GroupState state = state(aggregate, record.key());
    if (state == null) {
      state = new GroupState(aggregate.functions(), delta.group(), delta.windowStart());
    }
    if (state.group() == null && delta.group() != null) {
      state.identify(delta.group(), delta.windowStart());
    }
    delta.removes().forEach(state::remove);
    delta.adds().forEach(state::add);
    state.bumpVersion();
    store.put(record.key(), state.toBytes());
    cache.put(record.key(), state);
    // The earliest change not yet sent: the emitted result carries that time, so a measured
    // latency is the longest of the changes it covers.
    changed.putIfAbsent(
        record.key(), delta.written() == null ? NO_TIME : longBytes(delta.written()));
  }

  /** Sends every result changed since the last time, with its latest document or a tombstone. */
  private void emitChanged() {
    List<String> sent = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> pending = changed.all()) {
      while (pending.hasNext()) {
        KeyValue<String, byte[]> entry = pending.next();
        emit(entry.key, entry.value);
        sent.add(entry.key);
      }
    }
    sent.forEach(changed::delete);
  }

  private void emit(String id, byte[] written) {
    String name = id.indexOf('|') < 0 ? id : id.substring(0, id.indexOf('|'));
    CompiledAggregate aggregate = aggregate(name);
    GroupState state = aggregate == null ? null : state(aggregate, id);
    if (state == null) {
      return;
    }
    byte[] document = state.rows() > 0 ? ResultDocuments.render(aggregate, id, state) : null;
    RecordHeaders headers = new RecordHeaders();
    headers.add(Headers.RESULT_VERSION, Headers.utf8(Long.toString(state.version())));
    if (written.length == Long.BYTES) {
      headers.add(Headers.SOURCE_TIME, Headers.utf8(Long.toString(toLong(written))));
    }
    context.forward(
        new Record<>(
            id,
            new Routed(topics.aggregateTopic(aggregate.name()), document),
            context.currentSystemTimeMs(),
            headers));
    observer.result(aggregate.name());
  }

  private GroupState state(CompiledAggregate aggregate, String id) {
    GroupState state = cache.get(id);
    if (state == null) {
      byte[] stored = store.get(id);
      if (stored != null) {
        state = GroupState.fromBytes(aggregate.functions(), stored);
        cache.put(id, state);
      }
    }
    return state;
  }

  private static final byte[] NO_TIME = new byte[0];

  private static byte[] longBytes(long value) {
    return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  private static long toLong(byte[] bytes) {
    return java.nio.ByteBuffer.wrap(bytes).getLong();
  }

  private CompiledAggregate aggregate(String name) {
    if (aggregates.isEmpty()) {
      engines.get().aggregates().forEach(a -> aggregates.put(a.name(), a));
    }
    return aggregates.get(name);
  }
}
