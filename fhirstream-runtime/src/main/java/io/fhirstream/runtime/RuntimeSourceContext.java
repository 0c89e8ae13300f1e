package io.fhirstream.runtime;

import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.api.hub.HubFeed;
import io.fhirstream.api.source.SourceContext;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.feed.KafkaHubFeed;
import io.fhirstream.kafka.publish.KafkaCursorStore;
import io.fhirstream.kafka.publish.KafkaEventPublisher;
import io.fhirstream.runtime.config.RuntimeConfig;
import io.fhirstream.runtime.internal.CrashPoints;
import io.fhirstream.runtime.internal.TimedPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;

/**
 * The hub as a source sees it: Kafka publishers (an idempotent producer each, {@code acks=all}),
 * the cursor store in the compacted cursor topic, and feeds of topics other systems publish to.
 * Closing it closes every client it made.
 */
final class RuntimeSourceContext implements SourceContext, AutoCloseable {
  private final RuntimeConfig runtime;
  private final HubConfig hub;
  private final MeterRegistry metrics;
  private final CrashPoints crashPoints;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private CursorStore cursors;

  RuntimeSourceContext(
      RuntimeConfig runtime, HubConfig hub, MeterRegistry metrics, CrashPoints crashPoints) {
    this.runtime = runtime;
    this.hub = hub;
    this.metrics = metrics;
    this.crashPoints = crashPoints;
  }

  @Override
  public List<String> resourceTypes() {
    return runtime.resourceTypes();
  }

  @Override
  public synchronized EventPublisher publisher(String name, URI eventSource) {
    KafkaEventPublisher publisher =
        new KafkaEventPublisher(
            KafkaClients.producer(hub, name),
            new EventCodec(hub, eventSource, runtime.jsonLimits()));
    clients.add(publisher);
    return new TimedPublisher(crashPoints.afterPublish(publisher), name, metrics);
  }

  @Override
  public synchronized CursorStore cursors() {
    if (cursors == null) {
      Producer<String, byte[]> producer = KafkaClients.producer(hub, "fhirstream-cursors");
      clients.add(producer);
      cursors = new KafkaCursorStore(hub, producer);
    }
    return cursors;
  }

  @Override
  public synchronized HubFeed feed(String topic, String group) {
    KafkaHubFeed feed =
        new KafkaHubFeed(KafkaClients.consumer(hub, group, "fhirstream-feed-" + topic), topic);
    clients.add(feed);
    return feed;
  }

  @Override
  public JsonLimits jsonLimits() {
    return runtime.jsonLimits();
  }

  @Override
  public MeterRegistry metrics() {
    return metrics;
  }

  @Override
  public synchronized void close() throws Exception {
    for (int i = clients.size() - 1; i >= 0; i--) {
      clients.get(i).close();
    }
  }
}
