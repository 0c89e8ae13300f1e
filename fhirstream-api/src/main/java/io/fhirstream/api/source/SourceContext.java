package io.fhirstream.api.source;

import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.api.hub.HubFeed;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/** What the runtime hands a {@link ChangeSource}: no source reaches for globals or the hub. */
public interface SourceContext {

  /** {@link #resourceTypes()} alone: every type the origin offers, resolved by the source. */
  String ALL_TYPES = "*";

  /**
   * The resource types the pipeline streams ({@code source.resource-types}), or {@link #ALL_TYPES}
   * alone.
   */
  List<String> resourceTypes();

  /**
   * A publisher of the source's own, with a hub connection of its own: one per thread that flushes,
   * since {@link EventPublisher#flush} waits for everything sent through it. Closed by the runtime.
   *
   * @param name names the connection in the hub's logs and metrics, e.g. {@code fhirstream-source}
   * @param eventSource the CloudEvents {@code source} of every event it publishes, e.g. the FHIR
   *     server's base URL
   */
  EventPublisher publisher(String name, URI eventSource);

  /** Where the source keeps its positions: durable, in the hub itself, shared by instances. */
  CursorStore cursors();

  /**
   * A topic of the hub that another system publishes to, read as a feed (e.g. Azure Health Data
   * Services' change events, delivered to an event hub by Event Grid). Instances with the same
   * {@code group} share the topic's partitions; each remembers how far it got only when the source
   * commits. Closed by the runtime.
   *
   * @param topic the topic (event hub) to read
   * @param group the consumer group, kept apart from the sink's
   * @throws UnsupportedOperationException when this runtime cannot read feeds
   */
  default HubFeed feed(String topic, String group) {
    throw new UnsupportedOperationException("this runtime offers no hub feeds");
  }

  /**
   * Bounds on the JSON an event may carry; the sink role refuses larger, so a source need not send
   * it.
   */
  JsonLimits jsonLimits();

  /** Where the source registers its meters (changes published, retries, first-load progress). */
  MeterRegistry metrics();

  /** The clock for anything time-based, so tests can control it. */
  default Clock clock() {
    return Clock.systemUTC();
  }
}
