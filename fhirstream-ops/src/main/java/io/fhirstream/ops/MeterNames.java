package io.fhirstream.ops;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters the dashboard reads, by name: the runtime registers them under these names and the
 * dashboard finds them there, so both use these constants. Prometheus renders a name with
 * underscores and a unit suffix: {@code fhirstream.sink.written} is scraped as {@code
 * fhirstream_sink_written_total}.
 */
public final class MeterNames {
  /** Counter: changes the source published to Kafka. Tag {@value #TYPE}. */
  public static final String SOURCE_PUBLISHED = "fhirstream.source.published";

  /** Counter: events written to the store and committed. Tag {@value #TYPE}. */
  public static final String SINK_WRITTEN = "fhirstream.sink.written";

  /** Counter: events sent to the dead-letter topic. Tag {@value #REASON} optional. */
  public static final String SINK_DEAD_LETTERS = "fhirstream.sink.dead-letters";

  /**
   * Timer: from an event's arrival in Kafka to its write in the store. Register it with {@link
   * #sinkLatency()} so that it keeps the histogram the dashboard's percentiles are computed from.
   */
  public static final String SINK_LATENCY = "fhirstream.sink.latency";

  /** Gauge: records not yet consumed by the sink. Tags {@value #TOPIC} and {@value #PARTITION}. */
  public static final String SINK_LAG = "fhirstream.sink.lag";

  /** Tag: the FHIR resource type, e.g. {@code Patient}. */
  public static final String TYPE = "type";

  /** Tag: why an event was dead-lettered; PHI-free text of bounded variety (a category). */
  public static final String REASON = "reason";

  /** Tag: the Kafka topic. */
  public static final String TOPIC = "topic";

  /** Tag: the Kafka partition number. */
  public static final String PARTITION = "partition";

  private MeterNames() {}

  /**
   * The sink latency timer's builder, with the histogram buckets that {@code /metrics} exposes for
   * Prometheus' {@code histogram_quantile} and from which the dashboard computes p50/p95/p99.
   * Register it with {@code MeterNames.sinkLatency().register(registry)}.
   */
  public static Timer.Builder sinkLatency() {
    return Timer.builder(SINK_LATENCY)
        .description("Time from an event's arrival in Kafka to its write in the store")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5));
  }
}
