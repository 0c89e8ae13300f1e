package io.fhirstream.runtime;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.metrics.Meters;
import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.kafka.ConsumerGroupLag;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.kafka.sink.DeadLetters;
import io.fhirstream.kafka.sink.SinkRunner;
import io.fhirstream.kafka.sink.SinkTopics;
import io.fhirstream.runtime.analytics.AnalyticsRole;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.fhirstream.runtime.embedded.KafkaBroker;
import io.fhirstream.runtime.internal.CrashPoints;
import io.fhirstream.runtime.internal.TimedWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running pipeline: an embedded broker when asked for one, and the chosen roles, each on its
 * own thread, assembled from the plugins the settings name (the source by {@code source.type}, the
 * store by {@code store.type}). Start-up does everything that can fail for a configuration reason
 * on the caller's thread (broker reachable, the source's origin, topics, the store), so a bad
 * setting stops the program before anything runs.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CrashPoints crashPoints = CrashPoints.fromSystemProperty();
  private ChangeSource source;
  private SinkRunner sinkRunner;
  private AnalyticsRole analytics;
  private HubConfig hub;
  private volatile boolean closing;
  private List<String> types = List.of();
  private String groupId;

  private Pipeline() {}

  /** Starts the given roles; on failure, everything started so far is stopped again. */
  public static Pipeline start(Settings settings, Set<Role> roles, MeterRegistry metrics) {
    Pipeline pipeline = new Pipeline();
    try {
      pipeline.startRoles(settings, EnumSet.copyOf(roles), metrics);
      return pipeline;
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  private void startRoles(Settings settings, Set<Role> roles, MeterRegistry metrics) {
    hub = settings.hub();
    if (settings.runtime().embeddedKafka()) {
      KafkaBroker broker =
          EmbeddedKafkaBroker.start(
              settings.runtime().embeddedKafkaDir(), settings.runtime().embeddedKafkaPort());
      resources.add(broker);
      hub = hub.withBootstrapServers(broker.bootstrapServers());
      LOG.warn(
          "hub: an embedded Kafka broker at {} (embedded.kafka.enabled=true), its data in {}:"
              + " for trying fhirstream only; set kafka.bootstrap.servers for a real one",
          broker.bootstrapServers(),
          settings.runtime().embeddedKafkaDir());
    }
    groupId = settings.runtime().groupId();
    types = settings.runtime().allTypes() ? List.of() : settings.runtime().resourceTypes();
    if (roles.contains(Role.SOURCE)) {
      startSource(settings, metrics);
    } else if (types.isEmpty()) {
      // * without the source here: the types are those with a topic; later ones are subscribed to
      // by pattern.
      types = TopicSetup.resourceTypesOnHub(hub);
    } else {
      TopicSetup.ensure(hub, types);
    }
    if (roles.contains(Role.SINK)) {
      startSink(settings, roles, metrics);
    }
    if (roles.contains(Role.ANALYTICS)) {
      analytics = AnalyticsRole.start(settings, hub, metrics, e -> failure.compareAndSet(null, e));
      resources.add(analytics);
      launch("fhirstream-analytics-results", analytics::runResults);
    }
  }

  /** The source knows its types only once it has asked its origin ({@code *} resolved). */
  private void startSource(Settings settings, MeterRegistry metrics) {
    RuntimeSourceContext context =
        new RuntimeSourceContext(settings.runtime(), hub, metrics, crashPoints);
    resources.add(context);
    source = settings.sourceFactory().create(settings.sourceConfig(), context);
    resources.add(source);
    types = source.start();
    TopicSetup.ensure(hub, types);
    launch("fhirstream-source", source::run);
  }

  private void startSink(Settings settings, Set<Role> roles, MeterRegistry metrics) {
    var deadLetterProducer = KafkaClients.producer(hub, "fhirstream-dead-letters");
    resources.add(deadLetterProducer);
    DeadLetters deadLetters =
        new DeadLetters(
            deadLetterProducer,
            hub.deadLetterTopic(),
            reason ->
                Counter.builder(Meters.SINK_DEAD_LETTERS)
                    .description("Events sent to the dead-letter topic")
                    .tag(Meters.REASON, reason)
                    .register(metrics)
                    .increment());
    // Without the source in this process, * is known to no one here: read every resource topic.
    SinkTopics topics =
        settings.runtime().allTypes() && !roles.contains(Role.SOURCE)
            ? SinkTopics.matching(hub.resourceTopics())
            : SinkTopics.of(types.stream().map(hub::topic).toList());
    DocumentWriter writer =
        new TimedWriter(
            crashPoints.afterFlush(settings.storeFactory().createWriter(settings.storeConfig())),
            settings.storeFactory().name(),
            metrics);
    sinkRunner =
        new SinkRunner(
            KafkaClients.consumer(hub, groupId, "fhirstream-sink"),
            topics,
            EventCodec.forDecoding(hub, settings.runtime().jsonLimits()),
            writer,
            deadLetters,
            Backoff.DEFAULT,
            settings.runtime().pollTimeout(),
            metrics);
    sinkRunner.open();
    launch("fhirstream-sink", sinkRunner);
    LOG.info(
        "sink: {} → {} store",
        topics instanceof SinkTopics.Matching
            ? "every topic matching " + hub.resourceTopics()
            : types,
        settings.storeFactory().name());
  }

  private void launch(String name, Runnable task) {
    Thread thread =
        new Thread(
            () -> {
              try {
                task.run();
              } catch (Throwable e) {
                if (closing) {
                  return; // interrupted on purpose
                }
                failure.compareAndSet(null, e);
                LOG.error("{} stopped: {}", name, e.getMessage());
              }
            },
            name);
    thread.start();
    threads.add(thread);
  }

  /** The first failure that stopped a role, or null while all run. */
  public Throwable failure() {
    return failure.get();
  }

  /** Throws the failure that stopped a role, if any. */
  public void checkHealthy() {
    Throwable e = failure.get();
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e != null) {
      throw new PipelineException(e.toString(), e);
    }
  }

  /**
   * Waits until everything changed on the origin up to {@code lastChange} is in the store: the
   * source has published every type past it, the sink's group has committed up to the end of every
   * resource topic, and (with the analytics role here) the analytics role has caught up.
   *
   * @return whether that happened within the timeout
   */
  public boolean awaitDrained(Instant lastChange, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (source != null && !types.stream().allMatch(t -> passed(t, lastChange))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      checkHealthy();
      Thread.sleep(100);
    }
    List<String> topics = types.stream().map(hub::topic).toList();
    try (Admin admin = KafkaClients.admin(hub)) {
      while (!ConsumerGroupLag.caughtUp(admin, groupId, topics)) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        checkHealthy();
        Thread.sleep(100);
      }
    }
    while (analytics != null && !analytics.caughtUp()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      checkHealthy();
      Thread.sleep(200);
    }
    return true;
  }

  private boolean passed(String type, Instant lastChange) {
    return source.publishedUpTo(type).map(cursor -> cursor.isAfter(lastChange)).orElse(false);
  }

  /** The hub settings in force (with the embedded broker's address when one runs). */
  public HubConfig hub() {
    return hub;
  }

  /**
   * The resource types streamed, {@code *} resolved: by the source, or for a sink alone, to the
   * types that had a topic when it started.
   */
  public List<String> resourceTypes() {
    return types;
  }

  /** The change source, or null when this instance has no source role. */
  public ChangeSource source() {
    return source;
  }

  /** The sink loop, or null when this instance has no sink role. */
  public SinkRunner sink() {
    return sinkRunner;
  }

  /** The analytics role, or null when this instance does not run it. */
  public AnalyticsRole analytics() {
    return analytics;
  }

  /** Stops the roles, then the clients, then the embedded broker. */
  @Override
  public void close() {
    closing = true;
    if (source != null) {
      source.stop();
    }
    if (sinkRunner != null) {
      sinkRunner.stop();
    }
    if (analytics != null) {
      analytics.stop();
    }
    for (Thread thread : threads) {
      if (thread.getName().equals("fhirstream-source")) {
        thread.interrupt(); // wakes it from a poll-interval sleep or an HTTP read
      }
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn(
            "closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
