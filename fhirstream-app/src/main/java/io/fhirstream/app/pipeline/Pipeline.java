package io.fhirstream.app.pipeline;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.app.config.Settings;
import io.fhirstream.app.embedded.EmbeddedKafkaBroker;
import io.fhirstream.app.embedded.KafkaBroker;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.kafka.publish.KafkaCursorStore;
import io.fhirstream.kafka.publish.KafkaEventPublisher;
import io.fhirstream.kafka.sink.DeadLetters;
import io.fhirstream.kafka.sink.SinkRunner;
import io.fhirstream.source.CaptureMode;
import io.fhirstream.source.ChangeCapture;
import io.fhirstream.source.ServerCapabilities;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.auth.FhirCredentials;
import io.fhirstream.source.capture.Backfill;
import io.fhirstream.source.capture.CrawlTarget;
import io.fhirstream.source.capture.Crawler;
import io.fhirstream.source.capture.HistoryCrawler;
import io.fhirstream.source.capture.SearchCrawler;
import io.fhirstream.source.capture.WindowedSnapshot;
import io.fhirstream.source.export.ExportLoader;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.push.PushEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running pipeline: an embedded broker when no Kafka is configured, topics, and the chosen
 * roles each on its own thread. Start-up does everything that can fail for a configuration reason
 * on the caller's thread (broker reachable, topics, FHIR server capabilities, store opens), so a
 * bad setting stops the program before anything runs.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private ChangeCapture capture;
  private PushEndpoint push;
  private JsonLimits jsonLimits;
  private SinkRunner sinkRunner;
  private HubConfig hub;
  private KafkaBroker broker;
  private volatile boolean closing;
  private List<String> types = List.of();
  private String groupId;
  private FhirCredentials credentials; // set by probe(), shared with the page reads
  private Map<String, CaptureMode> modes; // set by probe()

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
    if (!hub.hasBootstrapServers()) {
      broker =
          EmbeddedKafkaBroker.start(
              settings.app().embeddedKafkaDir(), settings.app().embeddedKafkaPort());
      resources.add(broker);
      hub = hub.withBootstrapServers(broker.bootstrapServers());
    }
    // source.resource-types=* is known only once the server has answered, and the topics to
    // create and subscribe to depend on it: a sink-only instance asks the server too.
    types =
        settings.source().allTypes()
            ? List.copyOf(probe(settings.source()).keySet())
            : settings.source().resourceTypes();
    groupId = settings.app().groupId();
    jsonLimits = settings.app().jsonLimits();
    TopicSetup.ensure(hub, types);
    EventCodec codec =
        new EventCodec(hub, settings.source().baseUrl(), settings.app().jsonLimits());
    if (roles.contains(Role.SINK)) {
      startSink(settings, codec, types, metrics);
    }
    if (roles.contains(Role.SOURCE)) {
      startSource(settings.source(), codec, metrics);
    }
  }

  private void startSource(SourceConfig source, EventCodec codec, MeterRegistry metrics) {
    Map<String, CaptureMode> modes = this.modes != null ? this.modes : probe(source);
    FhirHttpClient http = source.newHttpClient(Integer.MAX_VALUE, credentials);
    Map<String, Crawler> crawlers = new LinkedHashMap<>();
    Map<String, Backfill> backfill = new LinkedHashMap<>();
    modes.forEach(
        (type, mode) -> {
          CrawlTarget target =
              new CrawlTarget(http, type, source.pageSize(), source.safetyLag(), Clock.systemUTC());
          Backfill snapshot = new WindowedSnapshot(target, source.backfillParallelism());
          if (mode == CaptureMode.HISTORY) {
            crawlers.put(type, new HistoryCrawler(target));
            if (source.backfillBySearch()) {
              backfill.put(type, snapshot);
            }
          } else {
            crawlers.put(type, new SearchCrawler(target));
            backfill.put(type, snapshot);
          }
        });
    KafkaEventPublisher publisher =
        new KafkaEventPublisher(KafkaClients.producer(hub, "fhirstream-source"), codec);
    resources.add(publisher);
    var cursorProducer = KafkaClients.producer(hub, "fhirstream-cursors");
    resources.add(cursorProducer);
    KafkaCursorStore cursors = new KafkaCursorStore(hub, cursorProducer);
    capture =
        new ChangeCapture(
            source.baseUrl().toString(),
            crawlers,
            backfill,
            publisher,
            cursors,
            source.effectivePollInterval(),
            metrics);
    source
        .export()
        .ifPresent(
            export -> capture.initialLoad(exportLoader(source, http, publisher, cursors, metrics)));
    launch("fhirstream-source", capture);
    LOG.info("source: capturing {} from {}", modes, source.baseUrl());
    if (source.push().enabled()) {
      startPush(source, codec, credentials, metrics);
    }
  }

  /** source.backfill=export: checked against the server's CapabilityStatement at start-up. */
  private ExportLoader exportLoader(
      SourceConfig source,
      FhirHttpClient http,
      KafkaEventPublisher publisher,
      KafkaCursorStore cursors,
      MeterRegistry metrics) {
    ExportLoader loader =
        new ExportLoader(
            source.baseUrl().toString(),
            http,
            source.export().orElseThrow(),
            jsonLimits,
            publisher,
            cursors,
            metrics);
    loader.requireServerSupport(source.baseUrl());
    return loader;
  }

  /** Push mode: the rest-hook endpoint beside the capture loop, which keeps polling slowly. */
  private void startPush(
      SourceConfig source, EventCodec codec, FhirCredentials credentials, MeterRegistry metrics) {
    // A producer of its own: the endpoint flushes from its own thread (see PushEndpoint).
    KafkaEventPublisher pushPublisher =
        new KafkaEventPublisher(KafkaClients.producer(hub, "fhirstream-push"), codec);
    resources.add(pushPublisher);
    FhirHttpClient reader = source.newHttpClient(3, credentials);
    push =
        PushEndpoint.builder()
            .config(source.push())
            .resourceTypes(source.resourceTypes())
            .jsonLimits(jsonLimits)
            .publisher(pushPublisher)
            .fhirClient(reader)
            .pollNow(capture::pollNow)
            .metrics(metrics)
            .start();
    resources.add(push);
  }

  /** The push endpoint, or null when push mode is off. */
  public PushEndpoint push() {
    return push;
  }

  private void startSink(
      Settings settings, EventCodec codec, List<String> types, MeterRegistry metrics) {
    var deadLetterProducer = KafkaClients.producer(hub, "fhirstream-dead-letters");
    resources.add(deadLetterProducer);
    Counter deadLetterCount =
        Counter.builder("fhirstream.sink.dead-letters")
            .description("Events sent to the dead-letter topic")
            .register(metrics);
    DeadLetters deadLetters =
        new DeadLetters(deadLetterProducer, hub.deadLetterTopic(), deadLetterCount::increment);
    sinkRunner =
        new SinkRunner(
            KafkaClients.consumer(hub, settings.app().groupId(), "fhirstream-sink"),
            types.stream().map(hub::topic).toList(),
            codec,
            settings.storeFactory().create(settings.storeConfig()),
            deadLetters,
            io.fhirstream.api.Backoff.DEFAULT,
            settings.app().pollTimeout(),
            metrics);
    sinkRunner.open();
    launch("fhirstream-sink", sinkRunner);
    LOG.info(
        "sink: {} → {} store",
        types.stream().map(hub::topic).toList(),
        settings.storeFactory().name());
  }

  /**
   * Reads the server's capabilities once. One set of credentials (one cached token) serves the
   * probe and every page read.
   */
  private Map<String, CaptureMode> probe(SourceConfig source) {
    credentials = source.newCredentials();
    modes = ServerCapabilities.probe(FhirContext.forR4Cached(), source, source.mode(), credentials);
    return modes;
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
   * Waits until everything changed on the FHIR server up to {@code lastChange} is in the store:
   * every type's cursor has passed it (so it is published and acknowledged), and the sink's group
   * has committed up to the end of every resource topic.
   *
   * @return whether that happened within the timeout
   */
  public boolean awaitDrained(Instant lastChange, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (capture != null
        && !types.stream().allMatch(t -> passed(capture.cursor(t), lastChange))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      checkHealthy();
      Thread.sleep(100);
    }
    try (Admin admin = KafkaClients.admin(hub)) {
      while (!sinkCaughtUp(admin)) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        checkHealthy();
        Thread.sleep(100);
      }
    }
    return true;
  }

  private static boolean passed(Instant cursor, Instant lastChange) {
    return cursor != null && cursor.isAfter(lastChange);
  }

  private boolean sinkCaughtUp(Admin admin) throws InterruptedException {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (String type : types) {
        for (int p = 0; p < partitions(admin, hub.topic(type)); p++) {
          request.put(new TopicPartition(hub.topic(type), p), OffsetSpec.latest());
        }
      }
      var ends = admin.listOffsets(request).all().get();
      for (var end : ends.entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        long position = done == null ? 0 : done.offset();
        if (position < end.getValue().offset()) {
          return false;
        }
      }
      return true;
    } catch (ExecutionException e) {
      return false;
    }
  }

  private static int partitions(Admin admin, String topic)
      throws InterruptedException, ExecutionException {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .size();
  }

  /** The hub settings in force (with the embedded broker's address when one runs). */
  public HubConfig hub() {
    return hub;
  }

  /** The resource types streamed, {@code source.resource-types=*} resolved. */
  public List<String> resourceTypes() {
    return types;
  }

  /** The capture loop, or null when this instance has no source role. */
  public ChangeCapture capture() {
    return capture;
  }

  /** The sink loop, or null when this instance has no sink role. */
  public SinkRunner sink() {
    return sinkRunner;
  }

  /** Stops the roles, then the clients, then the embedded broker. */
  @Override
  public void close() {
    closing = true;
    if (capture != null) {
      capture.stop();
    }
    if (sinkRunner != null) {
      sinkRunner.stop();
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
