package io.fhirstream.api.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every meter of the pipeline, declared once: its name (Micrometer's dotted form; Prometheus
 * scrapes {@code fhirstream.sink.written} as {@code fhirstream_sink_written_total}), kind, unit,
 * tags and meaning. Components register under these constants; the generated metrics reference
 * lists {@link #ALL}; a test fails when a running pipeline registers a meter not declared here.
 *
 * <p>Tags have bounded variety (resource types, topics, partitions, categories): never an id, a
 * version or free text, so the number of series stays small and no tag carries PHI.
 */
public final class Meters {
  private Meters() {}

  /** What kind of meter, as Prometheus sees it. */
  public enum Kind {
    COUNTER,
    GAUGE,
    TIMER;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One declared meter.
   *
   * @param name the Micrometer name
   * @param kind counter, gauge or timer
   * @param unit the base unit ({@code seconds}, {@code records}) or null for a plain count
   * @param tags the tag keys it carries
   * @param registeredBy which component registers it (and when)
   * @param description what it measures, for the reference and the HELP line
   */
  public record Meter(
      String name,
      Kind kind,
      String unit,
      List<String> tags,
      String registeredBy,
      String description) {
    public Meter {
      tags = List.copyOf(tags);
    }

    /** The Prometheus series name(s) it is scraped as. */
    public String prometheusName() {
      String base = name.replace('.', '_').replace('-', '_');
      return switch (kind) {
        case COUNTER -> base + "_total";
        case GAUGE -> unit == null || unit.equals("records") ? base : base + "_" + unit;
        case TIMER -> base + "_seconds_count, _sum, _max" + (histogram() ? ", _bucket" : "");
      };
    }

    private boolean histogram() {
      return name.equals(SINK_LATENCY);
    }
  }

  /** Tag: the FHIR resource type, e.g. {@code Patient}. */
  public static final String TYPE = "type";

  /** Tag: the Kafka topic. */
  public static final String TOPIC = "topic";

  /** Tag: the Kafka partition number. */
  public static final String PARTITION = "partition";

  /** Tag: a dead letter's reason, as a category (see {@link #SINK_DEAD_LETTERS}). */
  public static final String REASON = "reason";

  /** Tag: the stage that retried: {@code source} or {@code sink}. */
  public static final String STAGE = "stage";

  /** Tag: why a retry happened, as a category (see {@link #RETRIES}). */
  public static final String CAUSE = "cause";

  /** Tag: the store ({@code store.type}). */
  public static final String STORE = "store";

  /** Tag: the publisher's name, e.g. {@code fhirstream-source}. */
  public static final String PUBLISHER = "publisher";

  public static final String SOURCE_PUBLISHED = "fhirstream.source.published";
  public static final String SOURCE_EXPORTED = "fhirstream.source.exported";
  public static final String SOURCE_EXPORT_SKIPPED = "fhirstream.source.export.skipped";
  public static final String SOURCE_PUSH_NOTIFICATIONS = "fhirstream.source.push.notifications";
  public static final String SOURCE_FIRST_LOAD_DONE = "fhirstream.source.first-load.done";
  // Not "...total": Prometheus keeps the _total suffix for counters, and the registry renames a
  // gauge that ends with it, so the documented name would not be the one scraped.
  public static final String SOURCE_FIRST_LOAD_EXPECTED = "fhirstream.source.first-load.expected";
  public static final String SOURCE_CURSOR_AGE = "fhirstream.source.cursor.age";
  public static final String SOURCE_PUBLISH = "fhirstream.source.publish";
  public static final String SINK_WRITTEN = "fhirstream.sink.written";
  public static final String SINK_DEAD_LETTERS = "fhirstream.sink.dead-letters";
  public static final String SINK_LATENCY = "fhirstream.sink.latency";
  public static final String SINK_LAG = "fhirstream.sink.lag";
  public static final String STORE_WRITE = "fhirstream.store.write";
  public static final String STORE_FLUSH = "fhirstream.store.flush";
  public static final String RETRIES = "fhirstream.retries";

  /** Every fhirstream meter, in the order of the reference. */
  public static final List<Meter> ALL =
      List.of(
          new Meter(
              SOURCE_PUBLISHED,
              Kind.COUNTER,
              null,
              List.of(TYPE),
              "source (FHIR), per type at start",
              "Changes published to the hub and acknowledged by it."),
          new Meter(
              SOURCE_EXPORTED,
              Kind.COUNTER,
              null,
              List.of(TYPE),
              "source, first load by $export (source.backfill=export)",
              "Resources of a bulk $export published to the hub and acknowledged."),
          new Meter(
              SOURCE_EXPORT_SKIPPED,
              Kind.COUNTER,
              null,
              List.of(TYPE),
              "source, first load by $export",
              "Lines of an $export file that were not a resource of the file's type with an id,"
                  + " skipped with a warning."),
          new Meter(
              SOURCE_PUSH_NOTIFICATIONS,
              Kind.COUNTER,
              null,
              List.of("outcome"),
              "source, push mode (source.push.enabled=true)",
              "Rest-hook notifications received, by outcome (published, refused, …)."),
          new Meter(
              SOURCE_FIRST_LOAD_DONE,
              Kind.GAUGE,
              "records",
              List.of(TYPE),
              "source, while a type's first load runs",
              "Resources the first load of a type has published so far."),
          new Meter(
              SOURCE_FIRST_LOAD_EXPECTED,
              Kind.GAUGE,
              "records",
              List.of(TYPE),
              "source, while a type's first load runs",
              "Resources the first load of a type will publish; -1 while the server has not"
                  + " said."),
          new Meter(
              SOURCE_CURSOR_AGE,
              Kind.GAUGE,
              "seconds",
              List.of(TYPE),
              "runtime, source role",
              "How far the committed capture cursor of a type is behind the clock: every change"
                  + " older than this is on the hub. Grows while the FHIR server or the hub is"
                  + " away; absent (NaN) before the first cursor."),
          new Meter(
              SOURCE_PUBLISH,
              Kind.TIMER,
              "seconds",
              List.of(PUBLISHER),
              "runtime, source role",
              "Time to publish a batch of changes and have the hub acknowledge every one."),
          new Meter(
              SINK_WRITTEN,
              Kind.COUNTER,
              null,
              List.of(TYPE),
              "sink (Kafka module), per type as events arrive",
              "Events written to the store and their offsets committed."),
          new Meter(
              SINK_DEAD_LETTERS,
              Kind.COUNTER,
              null,
              List.of(REASON),
              "sink (Kafka module), per reason as dead letters occur",
              "Events sent to the dead-letter topic, by reason: invalid-json, too-large,"
                  + " invalid-id, wrong-type, invalid-resource (decoding), store-refused (the store"
                  + " rejected it)."),
          new Meter(
              SINK_LATENCY,
              Kind.TIMER,
              "seconds",
              List.of(),
              "sink (Kafka module)",
              "Time from an event's arrival in Kafka (the record's timestamp) to its write in"
                  + " the store and the offset commit; a histogram, for histogram_quantile."),
          new Meter(
              SINK_LAG,
              Kind.GAUGE,
              "records",
              List.of(TOPIC, PARTITION),
              "sink (Kafka module), per assigned partition",
              "Records on a partition not yet consumed by this sink (consumer lag); removed when"
                  + " the partition moves to another instance."),
          new Meter(
              STORE_WRITE,
              Kind.TIMER,
              "seconds",
              List.of(STORE),
              "runtime, sink role",
              "Time the store takes to accept one batch (DocumentWriter.write)."),
          new Meter(
              STORE_FLUSH,
              Kind.TIMER,
              "seconds",
              List.of(STORE),
              "runtime, sink role",
              "Time the store takes to make a batch durable (DocumentWriter.flush)."),
          new Meter(
              RETRIES,
              Kind.COUNTER,
              null,
              List.of(STAGE, CAUSE),
              "source (FHIR requests), runtime (hub) and sink (store), as retries happen",
              "Retries after a transient failure, by stage and cause: fhir-connect,"
                  + " fhir-timeout, fhir-io, fhir-throttled (429), fhir-server-error (5xx), hub,"
                  + " store."));

  /**
   * Prefixes of the meters Micrometer's JVM binders register (memory, GC, threads, classes, CPU,
   * uptime, open files); their names and meanings are Micrometer's own.
   */
  public static final List<String> JVM_PREFIXES = List.of("jvm.", "process.", "system.");

  /** The declared meter of that name, if any. */
  public static Optional<Meter> find(String name) {
    return ALL.stream().filter(meter -> meter.name().equals(name)).findFirst();
  }

  /** Whether a registered meter's name is documented: declared here or a JVM binder's. */
  public static boolean documented(String name) {
    return find(name).isPresent() || JVM_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /** The metrics reference (Markdown), generated from {@link #ALL}. */
  public static String reference() {
    StringBuilder out = new StringBuilder();
    out.append("# Metrics reference\n\n")
        .append("Generated by `./fhirstream metrics-reference` from the meters' declarations")
        .append(" (`io.fhirstream.api.metrics.Meters`); do not edit by hand.\n\n")
        .append("Served in the Prometheus text format at `/metrics` of the operator endpoint")
        .append(" (`ops.*` settings, [operations/endpoint.md](operations/endpoint.md)).")
        .append(" Micrometer's dotted names become Prometheus names with underscores, counters")
        .append(" end in `_total` and timers are in seconds.\n\n")
        .append("| meter | kind | Prometheus series | tags | registered by | meaning |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Meter meter : ALL) {
      out.append("| `")
          .append(meter.name())
          .append("` | ")
          .append(meter.kind().label())
          .append(" | `")
          .append(meter.prometheusName())
          .append("` | ")
          .append(
              meter.tags().isEmpty()
                  ? ""
                  : String.join(", ", meter.tags().stream().map(t -> "`" + t + "`").toList()))
          .append(" | ")
          .append(meter.registeredBy())
          .append(" | ")
          .append(meter.description().replace("|", "\\|"))
          .append(" |\n");
    }
    out.append("\n## JVM and process\n\n")
        .append("Micrometer's binders add the JVM's and the process's meters, under ")
        .append(String.join(", ", JVM_PREFIXES.stream().map(p -> "`" + p + "*`").toList()))
        .append(": memory and buffer pools (`jvm.memory.*`, `jvm.buffer.*`), garbage collection")
        .append(" (`jvm.gc.*`), threads (`jvm.threads.*`), class loading (`jvm.classes.*`), CPU")
        .append(" (`system.cpu.*`, `process.cpu.*`), uptime (`process.uptime`,")
        .append(" `process.start.time`) and open files (`process.files.*`). Which ones appear")
        .append(" depends on the JVM and its garbage collector; each carries its own HELP line.\n");
    return out.toString();
  }
}
