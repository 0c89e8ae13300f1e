package io.fhirstream.runtime.analytics;

import io.fhirstream.analytics.AnalyticsConfig;
import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.AnalyticsEngine;
import io.fhirstream.analytics.aggregate.CompiledAggregate;
import io.fhirstream.analytics.results.ResultsSink;
import io.fhirstream.analytics.stream.AnalyticsTopology;
import io.fhirstream.analytics.stream.TopicNames;
import io.fhirstream.analytics.view.ViewRunner;
import io.fhirstream.api.Backoff;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.store.WriterContext;
import io.fhirstream.kafka.ConsumerGroupLag;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.runtime.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics role: the topology of fhirstream-analytics as a Kafka Streams application on the
 * hub, and the results sink writing what it makes into the store. Start-up does on the caller's
 * thread everything that can fail for a configuration reason: the definitions (a bad one names its
 * file), the topics, what the hub supports, the store's result writer.
 *
 * <p>Scales by running more instances with the same {@code analytics.application-id}: Kafka Streams
 * shares the partitions among them.
 */
public final class AnalyticsRole implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRole.class);

  private final HubConfig hub;
  private final AnalyticsConfig config;
  private final AnalyticsDefinitions definitions;
  private final AnalyticsEngine engine;
  private final TopicNames topics;
  private final String guarantee;
  private KafkaStreams streams;
  private ResultsSink sink;
  private org.apache.kafka.clients.admin.Admin lagAdmin;

  private AnalyticsRole(
      HubConfig hub, AnalyticsConfig config, AnalyticsDefinitions definitions, String guarantee) {
    this.hub = hub;
    this.config = config;
    this.definitions = definitions;
    this.engine = definitions.compile(ViewRunner.forR4());
    this.topics = new TopicNames(hub.topicPrefix(), hub.deadLetterTopic(), config.topicPrefix());
    this.guarantee = guarantee;
  }

  /**
   * Starts the role; call {@link #runResults()} on a thread of its own afterwards.
   *
   * @param onFailure told when a stream thread dies, on that thread
   */
  public static AnalyticsRole start(
      Settings settings, HubConfig hub, MeterRegistry metrics, Consumer<Throwable> onFailure) {
    AnalyticsConfig config = settings.analytics();
    AnalyticsDefinitions definitions = config.loadDefinitions();
    String guarantee = guarantee(hub, config);
    AnalyticsRole role = new AnalyticsRole(hub, config, definitions, guarantee);
    try {
      role.startUp(settings, metrics, onFailure);
      return role;
    } catch (RuntimeException e) {
      role.close();
      throw e;
    }
  }

  private void startUp(Settings settings, MeterRegistry metrics, Consumer<Throwable> onFailure) {
    List<String> types = List.copyOf(engine.resourceTypes());
    TopicSetup.ensure(hub, types);
    TopicSetup.ensureTopics(hub, outputTopics());
    HubCapabilities.checkInternalTopics(hub, config.applicationId());
    ResultWriter writer = settings.storeFactory().createResultWriter(settings.storeConfig());
    WriterContext context =
        () ->
            (event, reason) ->
                LOG.warn("the store refused an analytics result of {}: {}", event, reason);
    sink =
        new ResultsSink(
            KafkaClients.consumer(
                hub, config.applicationId() + "-results", "fhirstream-analytics-results"),
            topics,
            engine.viewTables(),
            engine.aggregates().stream().map(CompiledAggregate::name).toList(),
            writer,
            context,
            Backoff.DEFAULT,
            Duration.ofMillis(200));
    sink.open();
    streams =
        new KafkaStreams(
            AnalyticsTopology.build(definitions, topics, new AnalyticsMeters(metrics)),
            streamsProperties());
    streams.setUncaughtExceptionHandler(
        e -> {
          onFailure.accept(
              new PipelineException(
                  "the analytics role stopped: "
                      + e.getMessage()
                      + ". "
                      + HubCapabilities.advice(hub),
                  e));
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
    LOG.info(
        "analytics: {} → views {} and aggregates {} ({}, application id {})",
        types,
        engine.views().stream().map(v -> v.name()).toList(),
        engine.aggregates().stream().map(CompiledAggregate::name).toList(),
        guarantee,
        config.applicationId());
  }

  /** The processing guarantee in force: auto resolves by asking the hub for transactions. */
  private static String guarantee(HubConfig hub, AnalyticsConfig config) {
    String wanted = config.processingGuarantee();
    if (wanted.equals("at_least_once")) {
      return StreamsConfig.AT_LEAST_ONCE;
    }
    boolean supported = HubCapabilities.transactionsSupported(hub, config.applicationId());
    if (supported) {
      return StreamsConfig.EXACTLY_ONCE_V2;
    }
    if (wanted.equals("exactly_once_v2")) {
      throw new PipelineException(
          "analytics.processing-guarantee is exactly_once_v2 but the hub refuses transactions;"
              + " use a hub that supports them (Azure Event Hubs: Premium or Dedicated, in"
              + " preview) or set analytics.processing-guarantee=at_least_once");
    }
    LOG.warn(
        "the hub does not support transactions: the analytics role runs at_least_once; a crash"
            + " may count a change twice until the role is reset (fhirstream analytics verify"
            + " finds it)");
    return StreamsConfig.AT_LEAST_ONCE;
  }

  private List<NewTopic> outputTopics() {
    Optional<Short> replication =
        hub.replicationFactor() < 0 ? Optional.empty() : Optional.of(hub.replicationFactor());
    Map<String, String> compacted =
        hub.compact()
            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : Map.of();
    Optional<Integer> partitions = Optional.of(hub.partitions());
    List<NewTopic> out = new ArrayList<>();
    engine
        .views()
        .forEach(
            v ->
                out.add(
                    new NewTopic(topics.viewTopic(v.name()), partitions, replication)
                        .configs(compacted)));
    for (CompiledAggregate aggregate : engine.aggregates()) {
      out.add(
          new NewTopic(topics.aggregateTopic(aggregate.name()), partitions, replication)
              .configs(compacted));
      if (aggregate.windowed()) {
        // One record per late change, not a latest value per key: never compacted.
        out.add(new NewTopic(topics.lateTopic(aggregate.name()), partitions, replication));
      }
    }
    return out;
  }

  private Properties streamsProperties() {
    Properties props = new Properties();
    props.putAll(hub.client());
    hub.producer().forEach((k, v) -> props.put(StreamsConfig.producerPrefix(k), v));
    hub.consumer().forEach((k, v) -> props.put(StreamsConfig.consumerPrefix(k), v));
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) hub.replicationFactor());
    // The stores' record cache: busy keys reach RocksDB and their changelogs once per commit.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 32L * 1024 * 1024);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    if (hub.eventHubs().isPresent()) {
      // Event Hubs stamps append time unless told otherwise; Kafka Streams needs create time.
      props.put(StreamsConfig.topicPrefix(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG), "CreateTime");
    }
    return props;
  }

  private Path stateDir() {
    return config.stateDir().toAbsolutePath();
  }

  /** The results sink's loop; returns when {@link #stop()} is called. */
  public void runResults() {
    sink.run();
  }

  /** Stops the results loop (the streams stop in {@link #close()}). */
  public void stop() {
    if (sink != null) {
      sink.stop();
    }
  }

  /**
   * Whether everything on the hub has reached the store: the stream threads have committed up to
   * the end of the resource topics and of the internal delta topic, and the results sink up to the
   * end of the output topics.
   */
  public boolean caughtUp() throws InterruptedException {
    if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    List<String> inputs = engine.resourceTypes().stream().map(topics::resourceTopic).toList();
    String id = config.applicationId();
    synchronized (this) {
      if (lagAdmin == null) {
        lagAdmin = KafkaClients.admin(hub);
      }
    }
    return ConsumerGroupLag.caughtUp(lagAdmin, id, inputs)
        && ConsumerGroupLag.caughtUp(lagAdmin, id, List.of(id + "-deltas-repartition"))
        && sink.lag() == 0
        && ConsumerGroupLag.caughtUp(lagAdmin, id + "-results", outputTopicNames());
  }

  private List<String> outputTopicNames() {
    List<String> names = new ArrayList<>();
    engine.views().forEach(v -> names.add(topics.viewTopic(v.name())));
    engine.aggregates().forEach(a -> names.add(topics.aggregateTopic(a.name())));
    return names;
  }

  /** The definitions in force. */
  public AnalyticsDefinitions definitions() {
    return definitions;
  }

  /** The output topics' names. */
  public TopicNames topics() {
    return topics;
  }

  /** The guarantee in force: exactly_once_v2 or at_least_once. */
  public String guarantee() {
    return guarantee;
  }

  /** The results sink, e.g. to observe its commits. */
  public ResultsSink results() {
    return sink;
  }

  @Override
  public void close() {
    stop();
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    synchronized (this) {
      if (lagAdmin != null) {
        lagAdmin.close(Duration.ofSeconds(5));
      }
    }
  }
}
