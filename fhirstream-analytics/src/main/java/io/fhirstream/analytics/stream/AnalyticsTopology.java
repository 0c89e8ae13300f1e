package io.fhirstream.analytics.stream;

import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.AnalyticsEngine;
import io.fhirstream.analytics.view.ViewRunner;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics role's Kafka Streams topology, a pure function of the definitions and topic names:
 *
 * <pre>
 * fhir.&lt;Type&gt;… ──▶ resources (stage A, store "resources": per resource its version and its
 *                  │              contributions)
 *                  ├──▶ view.&lt;view&gt;, aggregate.&lt;a&gt;.late, dead letters
 *                  └──▶ deltas, repartitioned by result id ──▶ groups (stage B, store "groups":
 *                        per result its retractable state) ──▶ aggregate.&lt;a&gt;
 * </pre>
 *
 * Windows are part of a result's key, on the current state of every resource: nothing is dropped
 * for being late, and a first load of years of history fills old windows like any other change.
 *
 * <p>Internal topics: {@code <application.id>-resources-changelog}, {@code -deltas-repartition} and
 * {@code -groups-changelog}, whatever the number of views and aggregates.
 */
public final class AnalyticsTopology {
  private AnalyticsTopology() {}

  /** The topology with no observer. */
  public static Topology build(AnalyticsDefinitions definitions, TopicNames topics) {
    return build(definitions, topics, AnalyticsObserver.NONE);
  }

  /**
   * The topology reading the topics of every resource type the definitions read.
   *
   * @param observer told of applied, duplicate, late and dead-lettered changes, for metrics
   */
  public static Topology build(
      AnalyticsDefinitions definitions, TopicNames topics, AnalyticsObserver observer) {
    Supplier<AnalyticsEngine> engines = perThread(definitions);
    List<String> inputs =
        engines.get().resourceTypes().stream().map(topics::resourceTopic).toList();
    StreamsBuilder builder = new StreamsBuilder();
    // Cached: a key written many times between two commits (a busy group) goes to RocksDB and its
    // changelog once per commit.
    for (String store :
        List.of(ResourceProcessor.STORE, GroupProcessor.STORE, GroupProcessor.CHANGED)) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
              .withCachingEnabled());
    }
    KStream<String, Routed> out =
        builder.stream(inputs, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("hub"))
            .process(
                () -> new ResourceProcessor(engines, topics, observer),
                Named.as("resources"),
                ResourceProcessor.STORE);
    out.filter((key, routed) -> routed.topic() != null, Named.as("outputs"))
        .to(
            (key, routed, context) -> routed.topic(),
            Produced.with(Serdes.String(), Routed.SERDE).withName("outputs-sink"));
    out.filter((key, routed) -> routed.topic() == null, Named.as("deltas-only"))
        .mapValues(Routed::value, Named.as("delta-bytes"))
        .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("deltas"))
        .process(
            () -> new GroupProcessor(engines, topics, observer),
            Named.as("groups"),
            GroupProcessor.STORE,
            GroupProcessor.CHANGED)
        .to(
            (key, routed, context) -> routed.topic(),
            Produced.with(Serdes.String(), Routed.SERDE).withName("results-sink"));
    return builder.build();
  }

  /**
   * One engine per stream thread: a view runner is not thread-safe, and a task's processor runs on
   * one thread at a time.
   */
  private static Supplier<AnalyticsEngine> perThread(AnalyticsDefinitions definitions) {
    ThreadLocal<AnalyticsEngine> engines =
        ThreadLocal.withInitial(() -> definitions.compile(ViewRunner.forR4()));
    return engines::get;
  }
}
