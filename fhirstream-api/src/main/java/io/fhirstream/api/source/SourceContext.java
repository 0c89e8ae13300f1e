package io.fhirstream.api.source;

import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.api.hub.EventPublisher;
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
